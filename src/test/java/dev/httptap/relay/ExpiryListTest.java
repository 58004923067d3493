package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpiryListTest {
    private final List<String> expired = new ArrayList<>();
    private final ExpiryList<String> list = new ExpiryList<>(100, expired::add);

    @Test
    void expiresInTheOrderOfLastTouch() {
        ExpiryList.Entry<String> a = new ExpiryList.Entry<>("a");
        ExpiryList.Entry<String> b = new ExpiryList.Entry<>("b");
        list.touch(a, 0);
        list.touch(b, 10);
        list.touch(a, 20); // a is now the newest

        assertEquals(110, list.expire(50));
        assertEquals("b", list.oldest());
        assertEquals(120, list.expire(110));
        assertEquals(List.of("b"), expired);
        assertEquals(Long.MAX_VALUE, list.expire(120));
        assertEquals(List.of("b", "a"), expired);
        assertEquals(0, list.size());
    }

    @Test
    void removedEntriesNeverExpireAndCanComeBack() {
        ExpiryList.Entry<String> a = new ExpiryList.Entry<>("a");
        ExpiryList.Entry<String> b = new ExpiryList.Entry<>("b");
        list.touch(a, 0);
        list.touch(b, 0);
        list.remove(a);
        list.remove(a);

        assertEquals(1, list.size());
        list.expire(1000);
        assertEquals(List.of("b"), expired);
        list.touch(a, 1000);
        assertEquals(1100, list.expire(1000));
    }

    @Test
    void drainTakesEverythingOldestFirstWithoutExpiring() {
        list.touch(new ExpiryList.Entry<>("a"), 0);
        list.touch(new ExpiryList.Entry<>("b"), 5);
        List<String> drained = new ArrayList<>();

        list.drain(drained::add);

        assertEquals(List.of("a", "b"), drained);
        assertEquals(List.of(), expired);
        assertEquals(Long.MAX_VALUE, list.expire(0));
    }
}
