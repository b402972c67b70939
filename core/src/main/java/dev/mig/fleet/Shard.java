package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * {@code --shard I/N}: the tenants whose id hashes to I, of N parts (I from 0 to N-1). The hash is
 * CRC-32 (the zlib / {@code java.util.zip.CRC32} one) of the id's UTF-8 bytes, as an unsigned
 * number, modulo N: any tool can compute the same split, and a tenant stays in its part as others
 * are added or removed.
 */
public record Shard(int index, int count) {

    public static final Shard ALL = new Shard(0, 1);

    /** {@code 2/3}; anything else is a usage error (exit 2). */
    public static Shard parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                int index = Integer.parseInt(parts[0].strip());
                int count = Integer.parseInt(parts[1].strip());
                if (count >= 1 && index >= 0 && index < count) {
                    return new Shard(index, count);
                }
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new MigException(ExitCode.PLAN_ERROR, "--shard '" + text + "' is not I/N with 0 <= I < N",
                "write --shard 0/3, --shard 1/3 and --shard 2/3 for three machines (a Kubernetes Indexed Job's"
                        + " completion index is I)");
    }

    /** The part a tenant id falls in: CRC-32 of its UTF-8 bytes, modulo {@code count}. */
    public static int of(String id, int count) {
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }

    public boolean contains(String id) {
        return of(id, count) == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
