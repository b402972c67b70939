package dev.mig.fleet;

import dev.mig.target.Target;

/**
 * One database of a fleet: its id (by default the database name of its URL), where it is, and its
 * wave label (null when it has none). Its {@link Target#display()} never shows a password.
 */
public record Tenant(String id, Target target, String wave) {

    /** The id, the database and the wave, as messages show a tenant. */
    public String display() {
        return id + " (" + target.display() + (wave == null ? "" : ", wave " + wave) + ")";
    }
}
