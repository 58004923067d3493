package dev.httptap.e2e;

/** What the fixture server received on its upload endpoint: the body's length and SHA-256 (hex). */
record UploadReceipt(long length, String sha256) {}
