/**
 * End-to-end tests: real programs (curl, wget, python3, node, java, ping, getent, browsers, and the package
 * managers git, npm, pip, mvn and apt-get) run under {@code ./httptap} against fixtures this package starts on
 * 127.0.0.1, and nothing else on the network.
 *
 * <p>Running: {@code scripts/test} runs everything; one class with
 * {@code mvn -o verify -Dit.test=HttpClientsIT}; unit tests of the fixtures with
 * {@code mvn -o test -Dtest='dev.httptap.e2e.*Test'} (a {@code -Dtest} pattern matching {@code *IT} would
 * make surefire run the end-to-end tests too, before the jar exists).
 *
 * <p>System properties: {@code httptap.home} (project directory, set by failsafe),
 * {@code httptap.e2e.largeBytes} (large transfer size, default 256 MiB), {@code httptap.e2e.timeoutSeconds},
 * {@code httptap.e2e.largeTimeoutSeconds}, {@code httptap.e2e.user} (default "tester"). The suite runs as
 * root: the unprivileged-user tests switch user with runuser.
 *
 * <p>Client tests are parameterized by {@link dev.httptap.e2e.Route}: each runs once directly and once
 * through httptap, so the direct run checks the fixture and the client command, and the tapped run must
 * produce the same program output plus httptap's exchange lines.
 */
package dev.httptap.e2e;
