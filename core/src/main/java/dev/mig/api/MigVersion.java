package dev.mig.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** mig's own version, as Maven stamped it into the jar. */
public final class MigVersion {

    private static final String VERSION = load();

    private MigVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = MigVersion.class.getResourceAsStream("/dev/mig/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
