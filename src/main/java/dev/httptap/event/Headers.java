package dev.httptap.event;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The header fields of one message in their original order and spelling. Lookups ignore case, as HTTP
 * field names do; nothing is merged or normalised, so a sink can show exactly what went over the wire.
 */
public final class Headers implements Iterable<Header> {
    public static final Headers EMPTY = new Headers(List.of());

    private final List<Header> fields;

    private Headers(List<Header> fields) {
        this.fields = fields;
    }

    public static Headers of(List<Header> fields) {
        return fields.isEmpty() ? EMPTY : new Headers(List.copyOf(fields));
    }

    /** Names and values alternating, for literals: {@code Headers.of("Host", "x", "Accept", "text/plain")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        List<Header> fields = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
        }
        return of(fields);
    }

    public int size() {
        return fields.size();
    }

    public Header get(int index) {
        return fields.get(index);
    }

    /** The value of the first field called {@code name}, in any case. */
    public Optional<String> first(String name) {
        for (Header field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return Optional.of(field.value());
            }
        }
        return Optional.empty();
    }

    /** The values of every field called {@code name}, in any case, in order; unmodifiable when there are none. */
    public List<String> all(String name) {
        List<String> values = List.of(); // most lookups find nothing: a list only when they do
        for (Header field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                if (values.isEmpty()) {
                    values = new ArrayList<>(1);
                }
                values.add(field.value());
            }
        }
        return values;
    }

    public boolean contains(String name) {
        return first(name).isPresent();
    }

    public List<Header> asList() {
        return fields;
    }

    @Override
    public Iterator<Header> iterator() {
        return fields.iterator();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Headers headers && fields.equals(headers.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
