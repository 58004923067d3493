package dev.httptap.wire;

/** Why a packet could not be read. */
public enum Malformation {
    TRUNCATED("shorter than its headers"),
    BAD_VERSION("wrong IP version"),
    BAD_HEADER_LENGTH("header length field out of range"),
    BAD_TOTAL_LENGTH("length field disagrees with the packet size"),
    BAD_CHECKSUM("checksum mismatch"),
    BAD_DATA_OFFSET("TCP data offset out of range"),
    BAD_OPTION("TCP option runs past the header"),
    BAD_EXTENSION_HEADER("IPv6 extension header runs past the packet");

    private final String description;

    Malformation(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
