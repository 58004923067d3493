package dev.httptap.http1;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** How a byte stream is cut into the pieces one relay call each would deliver. */
public final class Split {
    public static final Split WHOLE = new Split("whole", null, 0);
    public static final Split BYTE_BY_BYTE = new Split("byte by byte", null, 1);

    private final String name;
    private final Random random;
    private final int fixedSize;

    private Split(String name, Random random, int fixedSize) {
        this.name = name;
        this.random = random;
        this.fixedSize = fixedSize;
    }

    /** Pieces of 1 to 40 bytes, from a fixed seed so that a failure can be replayed. */
    public static Split random(long seed) {
        return new Split("random seed " + seed, new Random(seed), 0);
    }

    /** The standard set every parser scenario runs under. */
    public static List<Split> all() {
        List<Split> splits = new ArrayList<>(List.of(WHOLE, BYTE_BY_BYTE));
        for (long seed = 1; seed <= 5; seed++) {
            splits.add(random(seed));
        }
        return splits;
    }

    /** The piece lengths for a stream of {@code length} bytes. */
    public List<Integer> pieces(int length) {
        List<Integer> pieces = new ArrayList<>();
        for (int done = 0; done < length; ) {
            int size;
            if (random != null) {
                size = 1 + random.nextInt(40);
            } else if (fixedSize > 0) {
                size = fixedSize;
            } else {
                size = length;
            }
            size = Math.min(size, length - done);
            pieces.add(size);
            done += size;
        }
        return pieces;
    }

    @Override
    public String toString() {
        return name;
    }
}
