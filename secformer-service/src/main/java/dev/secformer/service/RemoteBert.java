package dev.secformer.service;

import dev.secformer.core.ChannelException;
import dev.secformer.core.FixedPoint;
import dev.secformer.core.Prg;
import dev.secformer.core.RingTensor;
import dev.secformer.net.InferenceClient;
import dev.secformer.nn.secure.BertInference;
import dev.secformer.nn.secure.ClientShares;
import dev.secformer.nn.secure.SecureBertClient;
import java.util.Map;

/**
 * A client's secure BERT over the network: shares each request for the two parties (servers
 * running {@link BertService}), sends it with an {@link InferenceClient} and reveals the answer.
 * The same calls and result as the in-process {@code InProcessBert}.
 */
public final class RemoteBert implements SecureBertClient {
    private final InferenceClient client;
    private final int vocabSize;
    private final int typeVocabSize;
    private final FixedPoint fixedPoint;

    /**
     * @param client        connects to both parties (its endpoint is the caller's to close)
     * @param vocabSize     the model's word-piece vocabulary (the client splits token ids by its width)
     * @param typeVocabSize the model's token types
     */
    public RemoteBert(InferenceClient client, int vocabSize, int typeVocabSize, FixedPoint fixedPoint) {
        this.client = client;
        this.vocabSize = vocabSize;
        this.typeVocabSize = typeVocabSize;
        this.fixedPoint = fixedPoint;
    }

    /** @throws InferenceClient.InferenceException with the parties' reason when the session fails */
    @Override
    public BertInference infer(int[][] tokenIds, int[][] typeIds, boolean[][] valid) {
        return infer(ClientShares.share(tokenIds, typeIds, valid, vocabSize, typeVocabSize, Prg.fresh()));
    }

    /** One inference of a request already shared. */
    public BertInference infer(ClientShares request) {
        InferenceClient.Answer a = client.infer(BertService.inputs(request, 0), BertService.inputs(request, 1));
        double[] hidden = reveal(a, BertService.HIDDEN);
        double[] head = a.outputs0().containsKey(BertService.HEAD) ? reveal(a, BertService.HEAD) : null;
        return new BertInference(hidden, head, 2 * request.bytesPerParty(), bytes(a.outputs0()) + bytes(a.outputs1()), a.cost());
    }

    private double[] reveal(InferenceClient.Answer a, String name) {
        RingTensor s0 = a.outputs0().get(name);
        RingTensor s1 = a.outputs1().get(name);
        if (s0 == null || s1 == null) {
            throw new ChannelException("a party's answer lacks \"" + name + "\"");
        }
        return ClientShares.reveal(s0, s1, fixedPoint);
    }

    private static long bytes(Map<String, RingTensor> outputs) {
        return outputs.values().stream().mapToLong(t -> 8L * t.size()).sum();
    }

    /** Nothing to release: the client's endpoint belongs to whoever made it. */
    @Override
    public void close() {
    }
}
