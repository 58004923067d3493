package dev.httptap.body;

import java.util.zip.DataFormatException;

/** A stream httptap chose not to decode (too costly now), as opposed to one that is corrupt. */
final class DecodingRefused extends DataFormatException {
    DecodingRefused(String reason) {
        super(reason);
    }
}
