package dev.secformer.net;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority: makes a CA and one certificate per role (P-256 keys,
 * ECDSA-SHA256), each valid for both TLS client and server use, as PEM files:
 * {@code ca.pem}, {@code ca-key.pem}, and {@code NAME.pem} / {@code NAME-key.pem} for
 * {@code party0}, {@code party1}, {@code dealer} and each client name. Private keys are written
 * readable by the owner only; an existing file is never overwritten. For production, issue the
 * same common names from your own CA.
 */
public final class KeyGen {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair caKeys;
    private final X509CertificateHolder ca;
    private final Duration validity;

    private KeyGen(KeyPair caKeys, X509CertificateHolder ca, Duration validity) {
        this.caKeys = caKeys;
        this.ca = ca;
        this.validity = validity;
    }

    /**
     * Writes a CA and certificates for the servers and {@code clients} into {@code dir}.
     *
     * @param hosts   DNS names or IP addresses by which the servers are dialled (each server
     *                certificate names all of them)
     * @param clients client names: common names {@code client-NAME} in files {@code client-NAME.pem}
     * @return the files written
     */
    public static List<Path> generate(Path dir, List<String> hosts, List<String> clients, Duration validity)
            throws IOException {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one host name or address is needed for the server certificates");
        }
        Files.createDirectories(dir);
        try {
            KeyPair caKeys = keyPair();
            X500Name caName = new X500Name("CN=secformer development CA");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(validity)), caName, caKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic()));
            X509CertificateHolder ca = b.build(signer(caKeys));
            KeyGen gen = new KeyGen(caKeys, ca, validity);
            List<Path> written = new ArrayList<>();
            written.add(writePem(dir.resolve("ca.pem"), ca, false));
            written.add(writePem(dir.resolve("ca-key.pem"), new JcaPKCS8Generator(caKeys.getPrivate(), null), true));
            for (Role r : List.of(Role.PARTY0, Role.PARTY1, Role.DEALER)) {
                written.addAll(gen.issue(dir, r.commonName(), hosts));
            }
            for (String c : clients) {
                if (!c.matches("[A-Za-z0-9._]+")) {
                    throw new IllegalArgumentException("client name \"" + c + "\" may contain only letters, digits, '.' and '_'");
                }
                written.addAll(gen.issue(dir, "client-" + c, hosts));
            }
            return written;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make certificates: " + e.getMessage(), e);
        }
    }

    private List<Path> issue(Path dir, String cn, List<String> hosts)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = keyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.getSubject(), serial(), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(validity)), new X500Name("CN=" + cn), keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(hosts.stream()
                .map(h -> new GeneralName(isAddress(h) ? GeneralName.iPAddress : GeneralName.dNSName, h))
                .toArray(GeneralName[]::new)));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caKeys.getPublic()));
        X509CertificateHolder cert = b.build(signer(caKeys));
        return List.of(writePem(dir.resolve(cn + ".pem"), cert, false),
                writePem(dir.resolve(cn + "-key.pem"), new JcaPKCS8Generator(keys.getPrivate(), null), true));
    }

    private static boolean isAddress(String h) {
        return h.matches("[0-9.]+") || h.contains(":");
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    private static org.bouncycastle.operator.ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    private static Path writePem(Path file, Object pem, boolean secret) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(pem instanceof JcaPKCS8Generator g ? g.generate() : pem);
        }
        if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, out.toString());
        return file;
    }
}
