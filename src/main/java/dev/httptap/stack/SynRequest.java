package dev.httptap.stack;

import dev.httptap.wire.TcpOptions;

/** What the child's SYN said: its initial sequence number, window and options. */
record SynRequest(int sequence, int window, TcpOptions options) {}
