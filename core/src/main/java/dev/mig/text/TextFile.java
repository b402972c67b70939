package dev.mig.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the text files a plan names (plan, recipe and SQL files) as strict UTF-8, so that a
 * directory or a binary file is told apart from a missing file and from an I/O error, in words
 * a user can act on: "is a directory", "is not UTF-8 text at byte N".
 */
public final class TextFile {

    /** The file exists but is not text mig can read; {@link #getMessage()} completes "file X ...". */
    public static final class NotText extends IOException {
        private final String hint;

        NotText(String message, String hint) {
            super(message);
            this.hint = hint;
        }

        public String hint() {
            return hint;
        }
    }

    private TextFile() {
    }

    /** The file's text; throws {@link NotText} for a directory or bytes that are not UTF-8. */
    public static String read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new NotText("is a directory", "name a file, not a folder");
        }
        return decode(Files.readAllBytes(file));
    }

    /** Strict UTF-8: the JDK's own error says only "Input length = 1", not where. */
    public static String decode(byte[] bytes) throws NotText {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new NotText("is not UTF-8 text at byte " + in.position() + " (offset from 0)",
                    "mig reads plan, recipe and SQL files as UTF-8: convert it (iconv -f LATIN1 -t UTF-8), or check that it is the file you meant");
        }
        return out.flip().toString();
    }
}
