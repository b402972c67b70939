package dev.mig.model;

/** An expected number: exactly {@code n}, or at least {@code n}. */
public record Count(long n, boolean atLeast) {

    public static Count exactly(long n) {
        return new Count(n, false);
    }

    public static Count atLeast(long n) {
        return new Count(n, true);
    }

    public boolean matches(long found) {
        return atLeast ? found >= n : found == n;
    }

    @Override
    public String toString() {
        return atLeast ? "at least " + n : String.valueOf(n);
    }
}
