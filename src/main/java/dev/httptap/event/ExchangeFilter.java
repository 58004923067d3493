package dev.httptap.event;

import dev.httptap.policy.HostGlob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which exchanges are shown and recorded, from an expression such as {@code host=*.example.com,method=POST}.
 *
 * <p>Terms are {@code key=value} joined by commas, all of which must hold. Keys: {@code host} (a name with
 * {@code *} wildcards, matched against the URL's host, or host:port when the pattern has a port),
 * {@code method} (any case) and {@code status} (a code such as {@code 404} or a class such as {@code 4xx}).
 * A value may list alternatives with {@code |}: {@code method=GET|HEAD}. An exchange without a response
 * never matches a {@code status} term.
 */
public final class ExchangeFilter {
    public static final ExchangeFilter ALL = new ExchangeFilter(List.of());

    private final List<Term> terms;

    private ExchangeFilter(List<Term> terms) {
        this.terms = terms;
    }

    /** Throws {@link IllegalArgumentException} with a message fit for the user when the expression is wrong. */
    public static ExchangeFilter parse(String expression) {
        List<Term> terms = new ArrayList<>();
        for (String text : expression.split(",", -1)) {
            terms.add(Term.parse(text.strip(), expression));
        }
        return new ExchangeFilter(List.copyOf(terms));
    }

    /** Whether the finished (or abandoned) exchange is wanted. */
    public boolean matches(Exchange exchange) {
        return allMatch(exchange, false);
    }

    /** Whether the filter looks at responses (a status term), so that a request alone cannot settle it. */
    public boolean judgesResponses() {
        return terms.stream().anyMatch(term -> term.key() == Key.STATUS);
    }

    /** Whether it may still be wanted, judging by what is known so far (the status may not be). */
    public boolean mayMatch(Exchange exchange) {
        return allMatch(exchange, true);
    }

    /** A plain loop: it runs several times per exchange, where a stream's allocations showed in profiles. */
    private boolean allMatch(Exchange exchange, boolean unknownStatusMatches) {
        for (Term term : terms) {
            if (!term.matches(exchange, unknownStatusMatches)) {
                return false;
            }
        }
        return true;
    }

    private enum Key { HOST, METHOD, STATUS }

    private record Term(Key key, List<Pattern> alternatives) {
        static Term parse(String text, String expression) {
            int equals = text.indexOf('=');
            if (equals <= 0 || equals == text.length() - 1) {
                throw bad(expression, "'" + text + "' is not key=value");
            }
            String name = text.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            Key key = switch (name) {
                case "host" -> Key.HOST;
                case "method" -> Key.METHOD;
                case "status" -> Key.STATUS;
                default -> throw bad(expression, "unknown key '" + name + "' (use host, method or status)");
            };
            List<Pattern> alternatives = new ArrayList<>();
            for (String value : text.substring(equals + 1).split("\\|", -1)) {
                alternatives.add(pattern(key, value.strip(), expression));
            }
            return new Term(key, List.copyOf(alternatives));
        }

        boolean matches(Exchange exchange, boolean unknownStatusMatches) {
            String subject;
            switch (key) {
                case HOST -> {
                    Url url = Url.parse(exchange.url());
                    subject = url.host() + "\n" + url.authority().toLowerCase(Locale.ROOT);
                }
                case METHOD -> subject = exchange.request().method();
                default -> {
                    if (exchange.response().isEmpty()) {
                        return unknownStatusMatches && exchange.outcome() == Outcome.PENDING;
                    }
                    subject = Integer.toString(exchange.response().get().status());
                }
            }
            for (Pattern alternative : alternatives) {
                for (String part : subject.split("\n")) {
                    if (alternative.matcher(part).matches()) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static Pattern pattern(Key key, String value, String expression) {
            switch (key) {
                case HOST -> {
                    if (value.isEmpty() || !value.matches(HostGlob.ALLOWED)) {
                        throw bad(expression, "host '" + value + "' may hold only letters, digits, '.', '-', ':' and '*'");
                    }
                    return HostGlob.compile(value);
                }
                case METHOD -> {
                    if (!value.matches("[A-Za-z]+")) {
                        throw bad(expression, "method '" + value + "' is not a method name");
                    }
                    return Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE);
                }
                default -> {
                    if (value.matches("[1-5][0-9][0-9]")) {
                        return Pattern.compile(value);
                    }
                    if (value.matches("[1-5][xX][xX]")) {
                        return Pattern.compile(value.charAt(0) + "[0-9][0-9]");
                    }
                    throw bad(expression, "status '" + value + "' is neither a code (404) nor a class (4xx)");
                }
            }
        }

        private static IllegalArgumentException bad(String expression, String why) {
            return new IllegalArgumentException("--filter '" + expression + "': " + why);
        }
    }
}
