package dev.mig.plan;

import dev.mig.text.TextFile;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A file a plan reads: a plan, recipe or SQL file on disk, or a recipe (or SQL) file on the
 * class path ({@code classpath:mig/recipes/catalog.groovy}). Relative names resolve against the
 * folder of the file that names them, on disk or on the class path alike.
 */
public sealed interface Source {

    String CLASSPATH = "classpath:";

    /** The path messages print ({@code file:line}); for the class path, {@code classpath:name}. */
    Path displayPath();

    /** What the user reads: the file as named, or {@code classpath:mig/recipes/x.groovy}. */
    String display();

    /** Where it was found: the absolute file, or the class path URL (which jar). */
    String where();

    /** Resolves a name written in this file: {@code classpath:...}, an absolute path, or relative to this file's folder. */
    Source resolve(String name);

    /** The text, or empty when there is no such file; {@link TextFile.NotText} for a directory or non-UTF-8 bytes. */
    Optional<String> read() throws IOException;

    /** The file's name, which its compiled classes carry in stack traces. */
    default String fileName() {
        return displayPath().getFileName().toString();
    }

    static Source of(Path file) {
        return new OnDisk(file.toAbsolutePath().normalize());
    }

    record OnDisk(Path path) implements Source {
        @Override
        public Path displayPath() {
            return path;
        }

        @Override
        public String display() {
            return new dev.mig.api.SourceLocation(path, 0).displayFile();
        }

        @Override
        public String where() {
            return path.toString();
        }

        @Override
        public Source resolve(String name) {
            if (name.startsWith(CLASSPATH)) {
                return OnClasspath.named(name.substring(CLASSPATH.length()));
            }
            return new OnDisk(path.getParent().resolve(name).normalize());
        }

        @Override
        public Optional<String> read() throws IOException {
            if (!Files.exists(path)) {
                return Optional.empty();
            }
            return Optional.of(TextFile.read(path));
        }
    }

    /** A resource of the thread context class loader: mig's own jar, or a team's jar beside it. */
    record OnClasspath(String resource) implements Source {

        static OnClasspath named(String name) {
            return new OnClasspath(normalize(name));
        }

        @Override
        public Path displayPath() {
            return Path.of(CLASSPATH + resource);
        }

        @Override
        public String display() {
            return CLASSPATH + resource;
        }

        @Override
        public String where() {
            URL url = url();
            return url == null ? "not on the class path" : url.toString();
        }

        @Override
        public Source resolve(String name) {
            if (name.startsWith(CLASSPATH)) {
                return named(name.substring(CLASSPATH.length()));
            }
            if (name.startsWith("/")) {
                return Source.of(Path.of(name));
            }
            int slash = resource.lastIndexOf('/');
            return named(slash < 0 ? name : resource.substring(0, slash + 1) + name);
        }

        @Override
        public Optional<String> read() throws IOException {
            URL url = url();
            if (url == null) {
                return Optional.empty();
            }
            try (InputStream in = url.openStream()) {
                return Optional.of(TextFile.decode(in.readAllBytes()));
            }
        }

        private URL url() {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = Source.class.getClassLoader();
            }
            return loader.getResource(resource);
        }

        /** {@code /a/./b/../c.groovy} becomes {@code a/c.groovy}: one name per resource. */
        private static String normalize(String name) {
            Deque<String> parts = new ArrayDeque<>();
            for (String part : name.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    parts.pollLast();
                } else {
                    parts.addLast(part);
                }
            }
            return String.join("/", parts);
        }
    }
}
