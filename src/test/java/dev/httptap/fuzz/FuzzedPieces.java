package dev.httptap.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Bytes cut where the fuzzer says, as TCP may deliver them: the stream parsers must not care. */
public final class FuzzedPieces {
    private static final int MAX_CUTS = 8;

    private FuzzedPieces() {}

    /** Up to eight cut positions, consumed from {@code data}. */
    public static int[] cuts(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, MAX_CUTS)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, 1 << 16);
        }
        Arrays.sort(cuts);
        return cuts;
    }

    /** {@code bytes} cut at {@code cuts} (sorted; those past the end are ignored), each piece its own buffer. */
    public static List<ByteBuffer> pieces(byte[] bytes, int[] cuts) {
        List<ByteBuffer> pieces = new ArrayList<>();
        int start = 0;
        for (int cut : cuts) {
            int end = Math.min(cut, bytes.length);
            if (end > start) {
                pieces.add(ByteBuffer.wrap(bytes, start, end - start).slice());
                start = end;
            }
        }
        pieces.add(ByteBuffer.wrap(bytes, start, bytes.length - start).slice());
        return pieces;
    }
}
