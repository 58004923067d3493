package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/** One content coding undone incrementally: encoded bytes in, decoded bytes pushed to the next stage. */
interface DecodingStage {
    /** Where decoded bytes go; returns false once it wants no more, so decoding can stop early. */
    interface Downstream {
        boolean accept(ByteBuffer decoded) throws DataFormatException;
    }

    /** Decodes all of {@code encoded} (or until {@code next} wants no more), advancing its position. */
    void feed(ByteBuffer encoded, Downstream next) throws DataFormatException;

    /**
     * The body has ended: a stage that holds input back decodes the rest now. A stream cut short may fail
     * here, as it may in {@link #feed}.
     */
    default void endOfInput(Downstream next) throws DataFormatException {}

    /** True once the coded stream has ended properly. */
    boolean isFinished();

    /** Frees the decoder's native memory; the stage is not used again. */
    void end();
}
