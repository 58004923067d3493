package dev.httptap.body;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses how to record a body for display from its Content-Encoding, so that at most the print limit of
 * decoded bytes is ever kept or produced:
 * <ul>
 *   <li>no coding: the first bytes as they are ({@link PlainRecorder});</li>
 *   <li>gzip and deflate, alone or stacked: decoded as they arrive ({@link InflatingRecorder});</li>
 *   <li>with br or zstd, whose decoders pull their input: a bounded prefix, decoded at the end
 *       ({@link PrefixRecorder});</li>
 *   <li>a coding httptap does not know: the first bytes as they are, with a note.</li>
 * </ul>
 * Codings are undone last-applied first: {@code Content-Encoding: gzip, br} means gzip, then brotli.
 */
public final class BodyDecoder {
    /**
     * Real bodies carry one coding, rarely two. Each one is a decoder nested in the next (a call deeper per
     * coding when decoding), so a list of a thousand would overflow the stack: past this many the body is
     * shown as received.
     */
    static final int MAX_CODINGS = 8;

    private final int printLimit;

    public BodyDecoder(int printLimit) {
        if (printLimit < 0) {
            throw new IllegalArgumentException("negative print limit " + printLimit);
        }
        this.printLimit = printLimit;
    }

    /** A recorder for one body whose Content-Encoding fields are {@code contentEncodingValues}. */
    public BodyRecorder recorder(List<String> contentEncodingValues) {
        List<String> tokens = tokens(contentEncodingValues);
        if (tokens.size() > MAX_CODINGS) {
            return new PlainRecorder(printLimit, Optional.of(tokens.size() + " content codings, more than "
                    + MAX_CODINGS + " are not undone"));
        }
        List<ContentCoding> codings = new ArrayList<>(2);
        for (String token : tokens) {
            Optional<ContentCoding> coding = ContentCoding.forToken(token);
            if (coding.isEmpty()) {
                return new PlainRecorder(printLimit, Optional.of("unknown content coding \"" + token + "\""));
            }
            codings.add(coding.get());
        }
        if (codings.isEmpty()) {
            return new PlainRecorder(printLimit, Optional.empty());
        }
        String names = names(codings);
        List<DecodingStage> stages = new ArrayList<>(codings.size());
        for (int i = codings.size() - 1; i >= 0; i--) {
            Optional<DecodingStage> stage = codings.get(i).incrementalStage();
            if (stage.isEmpty()) {
                stages.forEach(DecodingStage::end);
                return new PrefixRecorder(codings, names, printLimit);
            }
            stages.add(stage.get());
        }
        return new InflatingRecorder(stages, names, printLimit);
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

    private static String names(List<ContentCoding> codings) {
        List<String> names = new ArrayList<>(codings.size());
        codings.forEach(coding -> names.add(coding.token()));
        return String.join(", ", names);
    }
}
