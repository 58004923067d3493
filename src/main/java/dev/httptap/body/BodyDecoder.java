package dev.httptap.body;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses how to take a body from its Content-Encoding: a {@link BodyRecorder} keeps what to show of it
 * (at most the print limit of decoded bytes is ever kept or produced), a {@link LengthMeter} counts its
 * decoded length. Every coding is decoded as the bytes arrive (gzip, deflate, br, zstd, stacked); a coding
 * httptap does not know leaves the body as it was sent, with a note. Codings are undone last-applied first:
 * {@code Content-Encoding: gzip, br} means gzip, then brotli. A stack of more than
 * {@link #MAX_STACKED_CODINGS} codings is not decoded at all: each is a nested decoder, and no server needs
 * more than two, so a deeper stack is only a way to exhaust the relay thread.
 */
public final class BodyDecoder {
    /** The most codings undone for one body. */
    public static final int MAX_STACKED_CODINGS = 5;

    private final int printLimit;

    public BodyDecoder(int printLimit) {
        if (printLimit < 0) {
            throw new IllegalArgumentException("negative print limit " + printLimit);
        }
        this.printLimit = printLimit;
    }

    /** A recorder for one body whose Content-Encoding fields are {@code contentEncodingValues}. */
    public BodyRecorder recorder(List<String> contentEncodingValues) {
        Codings codings = Codings.of(contentEncodingValues);
        if (codings.refusal != null) {
            return new PlainRecorder(printLimit, Optional.of(codings.refusal));
        }
        if (codings.list.isEmpty()) {
            return new PlainRecorder(printLimit, Optional.empty());
        }
        return new StreamingRecorder(codings.stages(), codings.names(), printLimit);
    }

    /**
     * A meter of the decoded length of one body whose Content-Encoding fields are {@code contentEncodingValues},
     * or empty when it has no content coding (its length is the length sent).
     */
    public static Optional<LengthMeter> meter(List<String> contentEncodingValues) {
        if (contentEncodingValues.isEmpty()) {
            return Optional.empty(); // most bodies: nothing to read the codings of, asked for every response
        }
        Codings codings = Codings.of(contentEncodingValues);
        if (codings.refusal != null) {
            return Optional.of(new LengthMeter(codings.shortRefusal));
        }
        if (codings.list.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LengthMeter(codings.stages(), codings.names()));
    }

    /** True when the body has a content coding and httptap undoes all of it. */
    public static boolean undoes(List<String> contentEncodingValues) {
        Codings codings = Codings.of(contentEncodingValues);
        return codings.refusal == null && !codings.list.isEmpty();
    }

    /**
     * The decoded bytes of a whole body read from {@code encoded}, or empty when it has no content coding
     * or one httptap does not undo. For a body kept whole (the HAR's), where pulling decoders are fine.
     */
    public static Optional<InputStream> decoding(InputStream encoded, List<String> contentEncodingValues)
            throws IOException {
        Codings codings = Codings.of(contentEncodingValues);
        if (codings.refusal != null || codings.list.isEmpty()) {
            return Optional.empty();
        }
        InputStream decoded = encoded;
        for (int i = codings.list.size() - 1; i >= 0; i--) {
            decoded = codings.list.get(i).decoding(decoded);
        }
        return Optional.of(decoded);
    }

    /** The codings of a body, or why they are not undone (in full, and short for an exchange's line). */
    private record Codings(List<ContentCoding> list, String refusal, String shortRefusal) {
        static Codings of(List<String> contentEncodingValues) {
            List<String> tokens = tokens(contentEncodingValues);
            if (tokens.size() > MAX_STACKED_CODINGS) {
                return new Codings(List.of(), "not decoded: " + tokens.size() + " stacked content codings, more than the "
                        + MAX_STACKED_CODINGS + " httptap undoes", "not decoded: " + tokens.size() + " stacked codings");
            }
            List<ContentCoding> codings = new ArrayList<>(2);
            for (String token : tokens) {
                Optional<ContentCoding> coding = ContentCoding.forToken(token);
                if (coding.isEmpty()) {
                    return new Codings(List.of(), "unknown content coding \"" + token + "\"", "not decodable as " + token);
                }
                codings.add(coding.get());
            }
            return new Codings(codings, null, null);
        }

        /** A fresh decoder per coding, the last-applied first. */
        List<DecodingStage> stages() {
            List<DecodingStage> stages = new ArrayList<>(list.size());
            for (int i = list.size() - 1; i >= 0; i--) {
                stages.add(list.get(i).stage());
            }
            return stages;
        }

        String names() {
            List<String> names = new ArrayList<>(list.size());
            list.forEach(coding -> names.add(coding.token()));
            return String.join(", ", names);
        }
    }

    /** The coding tokens of every Content-Encoding field, in order, without "identity". */
    private static List<String> tokens(List<String> contentEncodingValues) {
        List<String> tokens = new ArrayList<>(2);
        for (String value : contentEncodingValues) {
            for (String token : value.split(",")) {
                String trimmed = token.trim();
                if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("identity")) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }
}
