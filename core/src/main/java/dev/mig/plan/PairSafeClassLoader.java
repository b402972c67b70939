package dev.mig.plan;

import groovy.lang.GroovyClassLoader;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.io.StringReaderSource;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.security.CodeSource;

/**
 * A GroovyClassLoader whose parser never sees a surrogate pair split between two reads.
 *
 * <p>Groovy's parser reads source through ANTLR's {@code CharStreams.fromReader}, 4096 chars at a
 * time; when a read ends between the two halves of a character above U+FFFF (an emoji, say), the
 * high half comes out twice, so {@code '""""🐘'} at the wrong offset became a string with a stray
 * {@code \ud83d} in it, and a plan named an object that does not exist. Groovy wraps the source
 * reader in a BufferedReader, which hands ANTLR 4096 chars of whatever it holds, so the reader
 * here gives at most 4096 chars a read, never ending on a high surrogate, and says it is never
 * ready, so the BufferedReader passes each read on as it came instead of filling 4096.
 */
class PairSafeClassLoader extends GroovyClassLoader {

    PairSafeClassLoader(ClassLoader parent, CompilerConfiguration config) {
        super(parent, config);
    }

    @Override
    protected CompilationUnit createCompilationUnit(CompilerConfiguration config, CodeSource source) {
        return new CompilationUnit(config, source, this) {
            @Override
            public SourceUnit addSource(String name, String scriptText) {
                return addSource(new SourceUnit(name, new StringReaderSource(scriptText, config) {
                    @Override
                    public Reader getReader() {
                        return new PairSafeReader(new StringReader(scriptText));
                    }
                }, config, PairSafeClassLoader.this, getErrorCollector()));
            }
        };
    }

    /** Never ends a multi-char read on a high surrogate while more input may follow. */
    static final class PairSafeReader extends FilterReader {

        /** ANTLR's read size: a read no longer than this is passed on whole. */
        private static final int CHUNK = 4096;

        private int held = -1;

        PairSafeReader(Reader in) {
            super(in);
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            length = Math.min(length, CHUNK);
            int start = offset;
            if (held >= 0) {
                buffer[offset++] = (char) held;
                length--;
                held = -1;
            }
            int n = length == 0 ? 0 : in.read(buffer, offset, length);
            int total = (n < 0 ? 0 : n) + (offset - start);
            if (total == 0) {
                return -1;
            }
            char last = buffer[start + total - 1];
            if (total > 1 && Character.isHighSurrogate(last)) {
                held = last;
                total--;
            }
            return total;
        }

        @Override
        public boolean ready() {
            return false;
        }

        @Override
        public int read() throws IOException {
            if (held >= 0) {
                int c = held;
                held = -1;
                return c;
            }
            return in.read();
        }
    }
}
