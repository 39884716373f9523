package dev.secformer.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Mutual TLS for every connection: TLS 1.3, both sides present a certificate issued by the
 * deployment's CA, and the server refuses a peer without one during the handshake, before any frame
 * is read. A client also checks that the server's certificate names the host it dialled.
 *
 * <p>Engine and cipher: BoringSSL through netty-tcnative where its native library loads (Linux
 * x86-64), the JDK's engine otherwise ({@link #provider()}); the suite is TLS_AES_128_GCM_SHA256
 * (BoringSSL's first choice with AES-NI; the JDK engine is restricted to it), so that AES-NI and
 * carry-less multiplication do the work.
 */
public final class Tls {
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    private static final java.util.List<String> CIPHERS = java.util.List.of("TLS_AES_128_GCM_SHA256");

    /**
     * This process's identity and trust: PEM files of its certificate chain, its PKCS#8 private key,
     * and the CA certificate that every peer's certificate must chain to.
     */
    public record Files(Path certificate, Path privateKey, Path trustedCa) {
        /** The files {@code keygen} writes for {@code name} into {@code dir}. */
        public static Files in(Path dir, String name) {
            return new Files(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"), dir.resolve("ca.pem"));
        }

        void check() {
            for (Path p : new Path[] {certificate, privateKey, trustedCa}) {
                if (!java.nio.file.Files.isReadable(p)) {
                    throw new IllegalArgumentException("TLS file " + p + " does not exist or is not readable"
                            + " (make certificates with `secformer keygen`)");
                }
            }
        }
    }

    private final SslContext server;
    private final SslContext client;

    public Tls(Files files) {
        files.check();
        try {
            server = SslContextBuilder.forServer(files.certificate().toFile(), files.privateKey().toFile())
                    .sslProvider(provider())
                    .trustManager(files.trustedCa().toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols(PROTOCOLS)
                    .ciphers(ciphers())
                    .build();
            client = SslContextBuilder.forClient()
                    .sslProvider(provider())
                    .keyManager(files.certificate().toFile(), files.privateKey().toFile())
                    .trustManager(files.trustedCa().toFile())
                    .endpointIdentificationAlgorithm("HTTPS")
                    .protocols(PROTOCOLS)
                    .ciphers(ciphers())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS files " + files + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's engine is told to prefer AES-128-GCM; BoringSSL prefers it already and takes no TLS 1.3 list. */
    private static java.util.List<String> ciphers() {
        return provider() == SslProvider.JDK ? CIPHERS : null;
    }

    /** BoringSSL when netty-tcnative's native library loads here, else the JDK's engine. */
    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    SslContext server() {
        return server;
    }

    SslContext client() {
        return client;
    }

    /** The role named by the verified certificate of the peer of a completed handshake. */
    static Role peerRole(SslHandler ssl) throws SSLPeerUnverifiedException {
        X509Certificate cert = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
        return Role.ofCommonName(commonName(cert));
    }

    static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("unreadable certificate subject " + cert.getSubjectX500Principal(), e);
        }
        throw new IllegalArgumentException("certificate " + cert.getSubjectX500Principal() + " has no common name");
    }
}
