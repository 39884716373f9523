package dev.secformer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.hf.HuggingFaceCheckpoint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness end to end on the tiny shape: two suites, one run each, every output file. */
class BertBenchmarkTest {
    private static final List<String> SUITES = List.of("secformer", "puma");

    @TempDir
    static Path dir;

    private static Run run;

    /** One execution of the command in process: exit code, standard output and error. */
    private record Run(int code, String out, String err) {
        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var cl = BertBenchmark.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new Run(code, out.toString(), err.toString());
        }
    }

    @BeforeAll
    static void runTheHarnessOnce() {
        run = Run.of("--shape", "tiny", "--seq", "8", "--suite", String.join(",", SUITES), "--runs", "1",
                "--json", dir.resolve("out/figures.json").toString(), "--markdown", dir.resolve("report.md").toString(),
                "--chart-dir", dir.resolve("charts").toString());
    }

    @Test
    void jsonTotalsAreTheSumsOfThePerLayerRows() throws IOException {
        assertEquals(0, run.code(), run.err());
        JsonNode root = new ObjectMapper().readTree(dir.resolve("out/figures.json").toFile());
        assertEquals(SUITES, list(root.fieldNames()));
        for (String suite : SUITES) {
            JsonNode s = root.get(suite);
            assertEquals(suite, s.get("suite").asText());
            assertEquals("tiny", s.get("model").asText());
            assertEquals(8, s.get("sequenceLength").asInt());
            JsonNode kinds = s.get("perLayerKind");
            assertTrue(kinds.size() >= 5, kinds.toString());
            // total.seconds is the wall time of the inference, not a sum of phases: only the counts add up.
            for (String key : List.of("onlineBytes", "rounds", "dealerBytes")) {
                long sum = 0;
                for (JsonNode k : kinds) {
                    sum += k.get(key).asLong();
                }
                assertEquals(sum, s.get("total").get(key).asLong(), suite + " " + key);
                assertTrue(sum > 0, suite + " " + key);
            }
            assertEquals(1, s.get("runSeconds").size());
            assertEquals(s.get("runSeconds").get(0).asDouble(), s.get("total").get("seconds").asDouble());
            assertTrue(s.get("projectionSeconds").get("wan").asDouble() > s.get("projectionSeconds").get("lan").asDouble());
        }
    }

    @Test
    void markdownComparesAndDetailsEverySuite() throws IOException {
        assertEquals(0, run.code(), run.err());
        String md = Files.readString(dir.resolve("report.md"));
        assertEquals(run.out(), md);
        assertTrue(md.contains("protocol suites compared"), md);
        assertTrue(md.contains("puma / secformer = "), md);
        for (String suite : SUITES) {
            assertTrue(md.contains("\n| " + suite + " | "), "comparison row of " + suite);
            assertTrue(md.contains(", suite " + suite + "\n"), "section of " + suite);
        }
    }

    @Test
    void chartsArePngsOfAPlausibleSize() throws IOException {
        assertEquals(0, run.code(), run.err());
        for (String name : List.of(CostCharts.ONLINE_MB, CostCharts.TIME, CostCharts.ROUNDS)) {
            Path png = dir.resolve("charts").resolve(name);
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, name + " does not decode");
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, name + " " + image.getWidth() + "x" + image.getHeight());
            assertTrue(distinctColours(image) >= 8, name + " looks blank");
        }
    }

    @Test
    void overNettyTheProtocolCostsEqualTheSimulatorsAndTheWireIsReported() throws IOException {
        assertEquals(0, run.code(), run.err());
        Path file = dir.resolve("netty.json");
        Run netty = Run.of("--shape", "tiny", "--seq", "8", "--suite", "secformer", "--runs", "2", "--transport", "netty",
                "--clients", "2", "--requests", "3", "--json", file.toString());
        assertEquals(0, netty.code(), netty.err());
        assertTrue(netty.out().contains("Netty + TLS on loopback"), netty.out());
        JsonNode n = new ObjectMapper().readTree(file.toFile()).get("secformer");
        JsonNode m = new ObjectMapper().readTree(dir.resolve("out/figures.json").toFile()).get("secformer");
        assertEquals("netty", n.get("transport").asText());
        assertEquals("memory", m.get("transport").asText());
        assertEquals(list(m.get("perLayerKind").fieldNames()), list(n.get("perLayerKind").fieldNames()));
        for (String kind : list(m.get("perLayerKind").fieldNames())) {
            for (String key : List.of("onlineBytes", "rounds", "dealerBytes")) {
                assertEquals(m.get("perLayerKind").get(kind).get(key).asLong(), n.get("perLayerKind").get(kind).get(key).asLong(),
                        kind + " " + key + ": the same protocol over Netty as in memory");
            }
        }
        assertEquals(m.get("inputBytes").asLong(), n.get("inputBytes").asLong());
        assertEquals(m.get("outputBytes").asLong(), n.get("outputBytes").asLong());
        long online = n.get("total").get("onlineBytes").asLong();
        long framing = n.get("wire").get("framingBytes").asLong();
        assertTrue(framing > 0, "frames add headers");
        assertTrue(n.get("wire").get("socketBytes").asLong() >= online + framing, "TLS adds to protocol bytes and framing");
        assertTrue(n.get("loadOnlineBytes").isNull());
        assertTrue(n.get("prepared").asBoolean(), "the second inference runs on correlations prepared ahead");
        assertTrue(n.get("total").get("offlineSeconds").asDouble() > 0);
        assertTrue(!m.get("prepared").asBoolean(), "a single run records its plan and draws inline");
        JsonNode load = n.get("sustained");
        assertEquals(2, load.get("clients").asInt());
        assertEquals(3, load.get("requests").asInt());
        assertTrue(load.get("p99Seconds").asDouble() >= load.get("p50Seconds").asDouble());
        assertTrue(load.get("perSecond").asDouble() > 0);
        assertTrue(netty.out().contains("service under load: 2 clients x 3 inferences"), netty.out());
    }

    @Test
    void anEmulatedLinkDelaysEveryRoundByHalfItsRoundTrip() throws IOException {
        Path file = dir.resolve("link.json");
        Run shaped = Run.of("--shape", "tiny", "--seq", "8", "--runs", "2", "--transport", "netty", "--link", "20,50",
                "--json", file.toString());
        assertEquals(0, shaped.code(), shaped.err());
        assertTrue(shaped.out().contains("party link 20 ms RTT, 50 MB/s"), shaped.out());
        JsonNode s = new ObjectMapper().readTree(file.toFile()).get("secformer");
        assertEquals(20.0, s.get("link").get("rttMillis").asDouble());
        long rounds = s.get("total").get("rounds").asLong();
        double online = s.get("total").get("seconds").asDouble();
        assertTrue(online >= rounds * 0.010, rounds + " rounds of at least 10 ms each, measured " + online + " s");
    }

    @Test
    void aCheckpointTakesThePlaceOfTheSyntheticShape() throws IOException {
        assertEquals(0, run.code(), run.err());
        // The tiny shape's weights as a Hugging Face folder: loaded from disk, the same model.
        Path checkpoint = dir.resolve("tiny-bert");
        HuggingFaceCheckpoint.write(checkpoint, BertWeights.copyOf(ModelShape.TINY.weights(), 1e-12), null);
        Path file = dir.resolve("checkpoint.json");
        Run loaded = Run.of("--model", checkpoint.toString(), "--seq", "8", "--suite", "secformer", "--runs", "1",
                "--json", file.toString());
        assertEquals(0, loaded.code(), loaded.err());
        assertTrue(loaded.out().contains("tiny-bert (2 layers, hidden 128), seq 8, batch 1, in memory"), loaded.out());
        JsonNode c = new ObjectMapper().readTree(file.toFile()).get("secformer");
        JsonNode s = new ObjectMapper().readTree(dir.resolve("out/figures.json").toFile()).get("secformer");
        assertEquals(checkpoint.toString(), c.get("model").asText());
        for (String key : List.of("onlineBytes", "rounds", "dealerBytes")) {
            assertEquals(s.get("total").get(key).asLong(), c.get("total").get(key).asLong(), key);
        }
    }

    @Test
    void badOptionsAreUsageErrorsWithAMessage() {
        Run transport = Run.of("--transport", "carrier-pigeon");
        assertEquals(2, transport.code());
        assertTrue(transport.err().contains("expected memory or netty but was 'carrier-pigeon'"), transport.err());
        Run seq = Run.of("--shape", "tiny", "--seq", "0");
        assertEquals(2, seq.code());
        assertTrue(seq.err().startsWith("--seq must be between 1 and 512"), seq.err());
        Run suite = Run.of("--suite", "secformer,nope");
        assertEquals(2, suite.code());
        assertTrue(suite.err().contains("unknown protocol suite \"nope\""), suite.err());
        Run both = Run.of("--shape", "tiny", "--model", dir.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().startsWith("--shape and --model exclude each other"), both.err());
        Run missing = Run.of("--model", dir.resolve("no-such-model").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no-such-model: no such file or folder"), missing.err());
        Run link = Run.of("--shape", "tiny", "--link", "wan");
        assertEquals(2, link.code());
        assertTrue(link.err().startsWith("--link needs --transport netty"), link.err());
        Run badLink = Run.of("--transport", "netty", "--link", "fast");
        assertEquals(2, badLink.code());
        assertTrue(badLink.err().contains("a link is lan, wan or RTT_MS,MBYTES_PER_S"), badLink.err());
        Run positional = Run.of("tiny", "16");
        assertEquals(2, positional.code());
        assertTrue(positional.err().contains("Unmatched arguments"), positional.err());
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static <T> List<T> list(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
