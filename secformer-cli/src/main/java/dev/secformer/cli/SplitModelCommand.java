package dev.secformer.cli;

import dev.secformer.core.FixedPoint;
import dev.secformer.core.Prg;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.secure.BertShares;
import dev.secformer.nn.secure.ModelOwner;
import dev.secformer.nn.secure.ShareFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The model owner's step: splits a checkpoint into the two parties' share files. */
@Command(name = "split-model", mixinStandardHelpOptions = true,
        description = "Split a BERT checkpoint into party0.share and party1.share (each alone is uniformly random).")
final class SplitModelCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "PATH",
            description = "a Hugging Face BERT folder or an ONNX export (default: the embedded all-MiniLM-L6-v2)")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for party0.share and party1.share")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        BertWeights w = Models.weights(model);
        Files.createDirectories(out);
        BertShares[] shares = ModelOwner.split(w, FixedPoint.standard(), Prg.fresh());
        for (int p = 0; p < 2; p++) {
            Path f = out.resolve("party" + p + ".share");
            if (Files.exists(f)) {
                throw new IllegalArgumentException(f + " exists: remove it or choose another folder");
            }
            ShareFile.write(f, p, shares[p]);
            spec.commandLine().getOut().printf("wrote %s (%.1f MB)%n", f, Files.size(f) / 1e6);
        }
        return 0;
    }
}
