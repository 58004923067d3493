package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.body.DecodedBody;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodyKindTest {
    @Test
    void theMediaTypeDecidesUnlessItSaysNothing() {
        assertEquals(BodyKind.TEXT, BodyKind.of(Optional.of("text/html; charset=utf-8")));
        assertEquals(BodyKind.TEXT, BodyKind.of(Optional.of("application/problem+JSON")));
        assertEquals(BodyKind.TEXT, BodyKind.of(Optional.of("image/svg+xml")));
        assertEquals(BodyKind.BINARY, BodyKind.of(Optional.of("image/png")));
        assertEquals(BodyKind.BINARY, BodyKind.of(Optional.of("application/grpc")));
        assertEquals(BodyKind.BY_BYTES, BodyKind.of(Optional.empty()));
        assertEquals(BodyKind.BY_BYTES, BodyKind.of(Optional.of("")));
        assertEquals(BodyKind.BY_BYTES, BodyKind.of(Optional.of("application/octet-stream")));
        assertEquals(BodyKind.BY_BYTES, BodyKind.of(Optional.of("multipart/form-data; boundary=x")));
    }

    @Test
    void bodyShowsAnImageThatIsValidUtf8AsBinary() {
        String shown = BodyFormatter.format(
                new DecodedBody("GIF89a".getBytes(StandardCharsets.UTF_8), false, 0, Optional.empty()), Optional.of("image/gif"));
        assertEquals(true, shown.startsWith("(binary, 6 bytes)\n"), shown);
    }
}
