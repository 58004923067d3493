package dev.httptap.sink;

import dev.httptap.dns.DnsFormatException;
import dev.httptap.dns.DnsMessage;
import dev.httptap.dns.DnsQuestion;
import dev.httptap.dns.DnsRecord;
import dev.httptap.dns.DnsResponse;
import dev.httptap.dns.DnsType;
import dev.httptap.log.Log;
import dev.httptap.log.TerminalText;
import dev.httptap.relay.DnsObserver;
import dev.httptap.stack.FlowId;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the child's DNS queries and their outcomes (--print-dns):
 * <pre>
 * ---&gt; DNS host.httptap.local (A)
 * &lt;--- DNS host.httptap.local (A): A 169.254.77.65
 * &lt;--- DNS nowhere.example (AAAA): NXDOMAIN
 * &lt;--- DNS slow.example (A): timeout
 * </pre>
 * An answer is named by its first question. Each line goes out under the stream's lock, like the exchange
 * blocks of {@link TerminalPrinter}. Bytes that do not parse are noted in verbose mode and not printed.
 */
public final class DnsPrinter implements DnsObserver {
    private final PrintStream out;
    private final Palette palette;

    public DnsPrinter(PrintStream out, boolean colour) {
        this.out = out;
        this.palette = new Palette(colour);
    }

    @Override
    public void onQuery(FlowId flow, ByteBuffer query) {
        try {
            List<DnsQuestion> questions = DnsMessage.parse(query).questions();
            StringBuilder lines = new StringBuilder();
            for (DnsQuestion question : questions) {
                lines.append(palette.request("---> DNS " + describe(question)));
            }
            print(lines.toString());
        } catch (DnsFormatException e) {
            Log.verbose("%s: DNS query not printed: %s", flow, e.getMessage());
        }
    }

    @Override
    public void onAnswer(FlowId flow, ByteBuffer answer) {
        try {
            DnsResponse response = DnsResponse.parse(answer);
            String subject = "<--- DNS " + subject(response.questions()) + ": ";
            if (response.responseCode() != 0) {
                print(palette.failure(subject + DnsType.responseCodeName(response.responseCode())));
            } else {
                print(palette.success(subject + answers(response.answers())));
            }
        } catch (DnsFormatException e) {
            Log.verbose("%s: DNS answer not printed: %s", flow, e.getMessage());
        }
    }

    @Override
    public void onNoAnswer(FlowId flow, ByteBuffer query) {
        try {
            print(palette.failure("<--- DNS " + subject(DnsMessage.parse(query).questions()) + ": timeout"));
        } catch (DnsFormatException e) {
            Log.verbose("%s: DNS timeout not printed: %s", flow, e.getMessage());
        }
    }

    private static String subject(List<DnsQuestion> questions) {
        return questions.isEmpty() ? "(no question)" : describe(questions.get(0));
    }

    private static String describe(DnsQuestion question) {
        String name = question.name().isEmpty() ? "." : question.name();
        return TerminalText.safe(name) + " (" + DnsType.name(question.type()) + ")";
    }

    /** "A 1.2.3.4, A 5.6.7.8", or "no records" for an empty NOERROR answer (a name without that type). */
    private static String answers(List<DnsRecord> records) {
        if (records.isEmpty()) {
            return "no records";
        }
        List<String> texts = new ArrayList<>(records.size());
        records.forEach(record -> texts.add(TerminalText.safe(record.toString())));
        return String.join(", ", texts);
    }

    private void print(String lines) {
        synchronized (out) {
            out.print(lines);
            out.flush();
        }
    }
}
