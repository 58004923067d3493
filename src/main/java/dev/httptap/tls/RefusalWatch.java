package dev.httptap.tls;

import dev.httptap.log.Log;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Watches the child's side of an interception's handshake for a refusal of httptap's leaf
 * ({@link CertificateRefusal}: a certificate alert, or leaving right after reading it) and reports what it
 * finds. A refusal is remembered for the run, so the child's later connections to the server pass through;
 * a child that leaves before it read the leaf is not held to it.
 */
final class RefusalWatch {
    private final FlowId flow;
    private final String server;
    private final InterceptionContext context;
    /** The child sent its ChangeCipherSpec after httptap's flight: it read the leaf (see {@link CertificateRefusal}). */
    private boolean clientReadOurFlight;

    RefusalWatch(FlowId flow, String server, InterceptionContext context) {
        this.flow = flow;
        this.server = server;
        this.context = context;
    }

    /** Handshake records the child sent after httptap's flight could have reached it. */
    void sawRecords(ByteBuffer records) {
        clientReadOurFlight |= CertificateRefusal.holdsChangeCipherSpec(records);
    }

    /** The child ended its side during the handshake; {@code defect}: the leaf's (null: none). */
    void hungUp(ServerDefect defect) {
        if (clientReadOurFlight) {
            refused("it hung up after reading httptap's handshake, without an alert", defect);
        } else {
            Log.verbose("%s: the client closed the connection during the TLS handshake for %s; "
                    + "interception stays on", flow, server);
        }
    }

    /** The child reset the connection during the handshake; {@code defect}: the leaf's (null: none). */
    void reset(ServerDefect defect) {
        if (clientReadOurFlight) {
            // A child leaving with bytes of ours unread resets rather than ends (GnuTLS at times): after its
            // ChangeCipherSpec, the same refusal as a hang-up.
            refused("it reset the connection after reading httptap's handshake", defect);
        }
    }

    /**
     * The child's handshake failed ({@code records}: what it sent last; {@code defect}: the leaf's, null:
     * none). A certificate alert means it does not trust httptap's CA (pinning, a private trust store), or
     * refused the defective leaf as it would the server's certificate: either way its later connections to
     * this server pass through, to judge the server itself. So does a failure on what a child that read
     * httptap's whole flight sent in place of its Finished: GnuTLS (apt's https) refuses a certificate with a
     * close_notify under the handshake keys, which the engine takes for a broken handshake. Anything else
     * fails this connection only. Returns whether the child refused (rather than httptap's side failing).
     */
    boolean handshakeFailed(SSLException failure, ByteBuffer records, ServerDefect defect) {
        Optional<String> alert = CertificateRefusal.alertOf(failure).or(() -> CertificateRefusal.plaintextAlertIn(records));
        if (alert.isPresent()) {
            refused("alert " + alert.get(), defect);
            return true;
        } else if (clientReadOurFlight) {
            refused("it ended the handshake after reading httptap's, without a certificate alert: "
                    + FailureReason.of(failure), defect);
            return true;
        } else if (defect != null) {
            Log.verbose("%s: the client refused the certificate %s, as it would the server's: %s", flow,
                    defect, FailureReason.of(failure));
        } else {
            Log.error("%s: TLS with the client failed during the handshake for %s: %s", flow, server,
                    FailureReason.of(failure));
        }
        return false;
    }

    /**
     * The child refused the leaf ({@code how}: its alert, or its silence): it does not trust httptap's CA
     * (pinning, a private trust store), or refused the defective leaf as it would the server's certificate.
     * Either way its later connections to this server pass through, to judge the server itself: one that
     * trusts the server's private CA (pinning) then reaches it.
     */
    private void refused(String how, ServerDefect defect) {
        context.untouched().remember(server);
        if (defect != null) {
            Log.verbose("%s: the client refused the certificate %s, as it would the server's (%s)", flow,
                    defect, how);
            return;
        }
        Log.verbose("%s: the client refused httptap's certificate for %s (%s); its later connections there "
                + "pass through untouched", flow, server, how);
        context.upstreams().onPassThrough(flow, server, PassThroughCause.UNTRUSTED_CA);
    }
}
