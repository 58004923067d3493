package dev.httptap.tls;

/** The kind of key the child's leaf certificate has, by its JCA name: see {@link CipherOffer#leaf}. */
enum LeafAlgorithm {
    EC, RSA
}
