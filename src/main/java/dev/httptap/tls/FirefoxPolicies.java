package dev.httptap.tls;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Firefox enterprise policy file ({@code policies.json}) that also installs a CA: the user's own policies
 * kept as they are, with the CA's path added to {@code policies.Certificates.Install}.
 */
final class FirefoxPolicies {
    private static final JsonFactory JSON = new JsonFactory();

    private FirefoxPolicies() {}

    /**
     * {@code existing} (the text of the policy file there, if any) with {@code caPath} added to the
     * certificates to install. An existing file that is not a JSON object, which Firefox refuses as a
     * whole, is replaced by ours.
     */
    static String withInstalledCa(Optional<String> existing, String caPath) {
        Map<String, Object> root = existing.flatMap(FirefoxPolicies::parseObject).orElseGet(LinkedHashMap::new);
        Map<String, Object> policies = objectIn(root, "policies");
        Map<String, Object> certificates = objectIn(policies, "Certificates");
        List<Object> install = certificates.get("Install") instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>();
        if (!install.contains(caPath)) {
            install.add(caPath);
        }
        certificates.put("Install", install);
        return write(root);
    }

    /** The object under {@code name}, put there (replacing anything else) if missing. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectIn(Map<String, Object> parent, String name) {
        if (parent.get(name) instanceof Map<?, ?> child) {
            return (Map<String, Object>) child;
        }
        Map<String, Object> child = new LinkedHashMap<>();
        parent.put(name, child);
        return child;
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> parseObject(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            Object value = read(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                return Optional.empty();
            }
            return value instanceof Map<?, ?> map ? Optional.of((Map<String, Object>) map) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // JsonProcessingException included: not JSON
        }
    }

    /** The value starting at {@code token}: maps, lists, strings, numbers (as written), booleans, null. */
    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new JsonProcessingException("empty") {};
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.put(name, read(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(read(parser, next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Number(parser.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonProcessingException("unexpected " + token) {};
        }
    }

    /** A JSON number, kept as written. */
    private record Number(String text) {}

    private static String write(Map<String, Object> root) {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            generator.useDefaultPrettyPrinter();
            write(generator, root);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e); // no I/O happens
        }
        return text + "\n";
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof Map<?, ?> object) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                generator.writeFieldName((String) entry.getKey());
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> array) {
            generator.writeStartArray();
            for (Object element : array) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else if (value instanceof String string) {
            generator.writeString(string);
        } else if (value instanceof Number number) {
            generator.writeNumber(number.text());
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else {
            generator.writeNull();
        }
    }
}
