package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy Firefox gets: the user's own, with the CA added to the certificates it installs. */
class FirefoxPoliciesTest {
    private static final String CA = "/usr/lib/firefox-esr/distribution/httptap-ca.crt";

    private static String compact(String json) {
        return json.replaceAll("\\s+", "");
    }

    @Test
    void withoutAPolicyOnlyTheCaIsInstalled() {
        assertEquals("{\"policies\":{\"Certificates\":{\"Install\":[\"" + CA + "\"]}}}",
                compact(FirefoxPolicies.withInstalledCa(Optional.empty(), CA)));
    }

    @Test
    void theUsersPoliciesAndCertificatesAreKeptAsWritten() {
        String theirs = """
                {"policies": {"DisableTelemetry": true, "Homepage": {"URL": "http://example.test/", "Locked": false},
                  "Certificates": {"ImportEnterpriseRoots": true, "Install": ["corp.pem"]},
                  "Timeout": 1.50, "Big": 123456789012345678901234567890, "Nothing": null}}
                """;

        assertEquals("{\"policies\":{\"DisableTelemetry\":true,\"Homepage\":{\"URL\":\"http://example.test/\",\"Locked\":false},"
                        + "\"Certificates\":{\"ImportEnterpriseRoots\":true,\"Install\":[\"corp.pem\",\"" + CA + "\"]},"
                        + "\"Timeout\":1.50,\"Big\":123456789012345678901234567890,\"Nothing\":null}}",
                compact(FirefoxPolicies.withInstalledCa(Optional.of(theirs), CA)));
    }

    @Test
    void theCaIsInstalledOnce() {
        String once = FirefoxPolicies.withInstalledCa(Optional.empty(), CA);

        assertEquals(once, FirefoxPolicies.withInstalledCa(Optional.of(once), CA));
    }

    /** Firefox refuses such a file as a whole, so no policy of the user's was in force: ours replaces it. */
    @Test
    void aFileThatIsNotAJsonObjectIsReplaced() {
        String ours = FirefoxPolicies.withInstalledCa(Optional.empty(), CA);

        for (String broken : new String[] {"", "{\"policies\": {", "[1, 2]", "{} trailing", "\"text\""}) {
            assertEquals(ours, FirefoxPolicies.withInstalledCa(Optional.of(broken), CA), broken);
        }
    }

    @Test
    void aPolicySectionOfTheWrongShapeIsReplacedByOne() {
        assertEquals("{\"policies\":{\"Certificates\":{\"Install\":[\"" + CA + "\"]}}}",
                compact(FirefoxPolicies.withInstalledCa(Optional.of("{\"policies\": {\"Certificates\": 3}}"), CA)));
    }
}
