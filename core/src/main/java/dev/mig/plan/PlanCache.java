package dev.mig.plan;

import dev.mig.api.MigVersion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Compiled plans, recipe files and mig.groovy, kept in a folder by the SHA-256 of everything that
 * decides what the compiler makes of them: the text, the file name, the script base class,
 * {@code --strict}, mig's version and jars, Groovy's and Java's versions, and this format. A hit
 * defines the classes from their bytes and reads the closures' positions, so Groovy's parser and
 * compiler are not even loaded.
 *
 * <p>Safe by construction: an entry is written to a temporary file in the same folder and moved
 * into place atomically; it carries the SHA-256 of its own payload, and one that is truncated,
 * corrupt or unreadable is compiled afresh (and replaced), never trusted. A changed input changes
 * the key, so a stale entry is never found. Every failure of the cache itself (a folder that is
 * missing, not writable, full) means "compile as without it", silently. Compilation errors are
 * never cached. Entries not used for {@link #UNUSED} are deleted, at most once a day.
 *
 * <p>Off unless switched on: the command line does ({@link #configure}); the library does not
 * (see "The compiled-plan cache" in docs/DSL.md).
 */
public final class PlanCache {

    /** Raise when the entry layout, or what the compiler is given, changes without a new mig version. */
    static final int FORMAT = 2;
    private static final byte[] MAGIC = "mig-plan-cache\n".getBytes(StandardCharsets.US_ASCII);
    static final Duration UNUSED = Duration.ofDays(30);
    private static final Duration DAY = Duration.ofDays(1);
    private static final String SUFFIX = ".class-set";
    private static final String MODEL_SUFFIX = ".plan-model";

    private static volatile PlanCache active;
    /** What the key covers besides the file: computed once ({@link #stamp(String)}); tests set another mig version here. */
    static volatile String stamp;

    private final Path folder;

    private PlanCache(Path folder) {
        this.folder = folder;
    }

    /** The cache in {@code folder} (its entries go in a subfolder, {@code compiled}). */
    public static PlanCache in(Path folder) {
        return new PlanCache(folder.resolve("compiled"));
    }

    /**
     * Switches the cache on for this process as the environment says: {@code MIG_CACHE=off} turns
     * it off, {@code MIG_CACHE_DIR} names the folder, else {@code $XDG_CACHE_HOME/mig} or
     * {@code ~/.cache/mig}.
     */
    public static void configure(Map<String, String> env, Path home) {
        use(folderFor(env, home) == null ? null : in(folderFor(env, home)));
    }

    /** The cache folder the environment asks for, or null when the cache is off. */
    public static Path folderFor(Map<String, String> env, Path home) {
        String switch_ = env.getOrDefault("MIG_CACHE", "").strip().toLowerCase(java.util.Locale.ROOT);
        if (switch_.equals("off") || switch_.equals("false") || switch_.equals("0") || switch_.equals("no")) {
            return null;
        }
        String dir = env.get("MIG_CACHE_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "mig");
        }
        return home == null ? null : home.resolve(".cache").resolve("mig");
    }

    /** The cache plans compile through from now on; null turns it off. */
    public static void use(PlanCache cache) {
        active = cache;
    }

    static PlanCache active() {
        return active;
    }

    /** True for a class of a plan, recipe or config file defined from an entry (plan code, as a compiled one is). */
    static boolean definedFromCache(Class<?> type) {
        return type.getClassLoader() instanceof EntryLoader;
    }

    /** The folder entries are written to. */
    public Path folder() {
        return folder;
    }

    /** The entry name for a compilation: SHA-256 of every input that can change its classes. */
    String key(String text, String fileName, String baseClass, boolean strict) {
        MessageDigest sha = sha256();
        for (String part : new String[]{"format " + FORMAT, stamp(), baseClass, String.valueOf(strict), fileName,
                "literal steps " + LiteralSteps.on()}) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * mig's and Groovy's versions, Java's, and the size and time of every jar on the class path
     * (mig's own first: a rebuilt jar of the same version is another compiler).
     */
    private static String stamp() {
        String s = stamp;
        if (s == null) {
            stamp = s = stamp(MigVersion.get());
        }
        return s;
    }

    static String stamp(String migVersion) {
        StringBuilder out = new StringBuilder().append(migVersion).append('|').append(org.codehaus.groovy.util.ReleaseInfo.getVersion())
                .append('|').append(System.getProperty("java.specification.version"));
        try {
            stampFile(out, Path.of(PlanCache.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException unknown) {
            out.append("|?");
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                stampFile(out, Path.of(entry));
            }
        }
        return out.toString();
    }

    private static void stampFile(StringBuilder out, Path entry) {
        out.append('|').append(entry.toAbsolutePath());
        try {
            if (Files.isRegularFile(entry)) {
                out.append(':').append(Files.size(entry)).append(':').append(Files.getLastModifiedTime(entry).toMillis());
            }
        } catch (IOException | RuntimeException unreadable) {
            out.append(":?");
        }
    }

    /** The compiled file, or null when there is no usable entry (none, or one not to be trusted). */
    ScriptCompiler.Compiled load(String key, String text) {
        Path file = folder.resolve(key + SUFFIX);
        byte[] payload = read(file);
        if (payload == null) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            if (!in.readUTF().equals(key)) {
                return null;
            }
            String scriptClass = in.readUTF();
            int count = in.readInt();
            Map<String, byte[]> classes = new HashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                classes.put(name, in.readNBytes(in.readInt()));
            }
            ClosureSources sources = ClosureSources.read(in, text);
            EntryLoader loader = new EntryLoader(ScriptCompiler.class.getClassLoader(), classes);
            Class<?> script = loader.defineAll(scriptClass);
            touch(file);
            return new ScriptCompiler.Compiled(script, sources);
        } catch (IOException | RuntimeException | LinkageError | ClassNotFoundException untrusted) {
            return null;
        }
    }

    /** Writes an entry; a cache that cannot be written is left as it is, silently. */
    void store(String key, String scriptClass, Map<String, byte[]> classes, ClosureSources sources) {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(payload);
            out.writeUTF(key);
            out.writeUTF(scriptClass);
            out.writeInt(classes.size());
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                out.writeUTF(c.getKey());
                out.writeInt(c.getValue().length);
                out.write(c.getValue());
            }
            sources.write(out);
            out.flush();
            write(key + SUFFIX, payload.toByteArray());
        } catch (IOException | RuntimeException unwritable) {
            // the cache is an optimisation: without it plans compile as before
        }
    }

    /**
     * The entry name for the model of a literal plan ({@link LiteralPlans}): as {@link #key}, for
     * the plan file at its absolute path (the model holds the paths of its files).
     */
    String modelKey(String text, Path planFile) {
        return key(text, planFile.toString(), "model " + PlanLoader.SCRIPT_BASE_CLASS, false);
    }

    /** The payload of a model entry, or null when there is no usable one. */
    byte[] loadModel(String key) {
        Path file = folder.resolve(key + MODEL_SUFFIX);
        byte[] payload = read(file);
        if (payload == null || payload.length < 32) {
            return null;
        }
        byte[] named = Arrays.copyOf(payload, 32);
        if (!Arrays.equals(named, HexFormat.of().parseHex(key))) {
            return null;
        }
        touch(file);
        return Arrays.copyOfRange(payload, 32, payload.length);
    }

    /** Writes a model entry; silently nothing when the cache cannot be written. */
    void storeModel(String key, byte[] model) {
        try {
            byte[] payload = new byte[32 + model.length];
            System.arraycopy(HexFormat.of().parseHex(key), 0, payload, 0, 32);
            System.arraycopy(model, 0, payload, 32, model.length);
            write(key + MODEL_SUFFIX, payload);
        } catch (IOException | RuntimeException unwritable) {
            // the cache is an optimisation
        }
    }

    /** An entry's payload once its head (magic, format, length) and its SHA-256 check out; else null. */
    private static byte[] read(Path file) {
        byte[] entry;
        try {
            entry = Files.readAllBytes(file);
        } catch (IOException | RuntimeException missing) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry));
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC) || in.readInt() != FORMAT) {
                return null;
            }
            byte[] digest = in.readNBytes(32);
            int length = in.readInt();
            byte[] payload = in.readNBytes(length);
            if (payload.length != length || in.read() != -1 || !Arrays.equals(digest, sha256().digest(payload))) {
                return null;
            }
            return payload;
        } catch (IOException | RuntimeException untrusted) {
            return null;
        }
    }

    /** Writes {@code payload} as the entry {@code name}: to a temporary file in the folder, then moved into place. */
    private void write(String name, byte[] bytes) throws IOException {
        Path temporary = null;
        try {
            ByteArrayOutputStream entry = new ByteArrayOutputStream(bytes.length + 64);
            DataOutputStream head = new DataOutputStream(entry);
            head.write(MAGIC);
            head.writeInt(FORMAT);
            head.write(sha256().digest(bytes));
            head.writeInt(bytes.length);
            head.write(bytes);
            head.flush();
            Files.createDirectories(folder);
            prune();
            temporary = Files.createTempFile(folder, name, ".tmp");
            Files.write(temporary, entry.toByteArray());
            Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException | RuntimeException ignored) {
                    // pruned later
                }
            }
        }
    }

    /** A used entry's time is moved on (at most daily), so that pruning keeps it. */
    private static void touch(Path file) {
        try {
            Instant now = Instant.now();
            if (Files.getLastModifiedTime(file).toInstant().isBefore(now.minus(DAY))) {
                Files.setLastModifiedTime(file, FileTime.from(now));
            }
        } catch (IOException | RuntimeException ignored) {
            // a read-only cache is still read
        }
    }

    /** Deletes entries (and leftover temporary files) unused for {@link #UNUSED}; runs at most once a day. */
    void prune() throws IOException {
        Path stamp = folder.resolve(".pruned");
        Instant now = Instant.now();
        if (Files.exists(stamp) && Files.getLastModifiedTime(stamp).toInstant().isAfter(now.minus(DAY))) {
            return;
        }
        if (!Files.exists(stamp)) {
            Files.createFile(stamp);
        }
        Files.setLastModifiedTime(stamp, FileTime.from(now));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Instant cutoff = now.minus(name.endsWith(".tmp") ? DAY : UNUSED);
                if ((name.endsWith(SUFFIX) || name.endsWith(MODEL_SUFFIX) || name.endsWith(".tmp")) && Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Defines a cached compilation's classes from their bytes, beside mig's classes as the compiler's loader would. */
    private static final class EntryLoader extends ClassLoader {

        private final Map<String, byte[]> classes;

        EntryLoader(ClassLoader parent, Map<String, byte[]> classes) {
            super(parent);
            this.classes = classes;
        }

        /** Defines every class now, so that a bad entry is a miss here rather than an error later; returns the script class. */
        Class<?> defineAll(String scriptClass) throws ClassNotFoundException {
            for (String name : classes.keySet().toArray(new String[0])) {
                loadClass(name);
            }
            return loadClass(scriptClass);
        }

        /** The compilation's own classes are defined here without asking the parent first, as the compiler's loader does. */
        @Override
        protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null && classes.containsKey(name)) {
                loaded = findClass(name);
            }
            return loaded != null ? loaded : super.loadClass(name, resolve);
        }

        @Override
        protected synchronized Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.remove(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
