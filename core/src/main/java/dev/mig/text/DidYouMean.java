package dev.mig.text;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Suggests the closest known name for a misspelt one (Levenshtein distance, case-insensitive). */
public final class DidYouMean {

    private DidYouMean() {
    }

    /** The closest known names (several when they are equally close), e.g. {@code 'column' or 'columns'}. */
    public static Optional<String> suggest(String wrong, Collection<String> known) {
        int limit = Math.max(2, wrong.length() / 3);
        String w = wrong.toLowerCase();
        int best = known.stream().mapToInt(k -> distance(w, k.toLowerCase())).min().orElse(Integer.MAX_VALUE);
        if (best > limit) {
            return Optional.empty();
        }
        List<String> closest = known.stream().filter(k -> distance(w, k.toLowerCase()) == best).sorted().distinct().toList();
        return Optional.of(String.join("' or '", closest));
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
