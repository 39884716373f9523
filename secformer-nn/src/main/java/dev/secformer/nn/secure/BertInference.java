package dev.secformer.nn.secure;

import dev.secformer.core.InferenceCost;

/**
 * One secure BERT inference, revealed to the client: the last hidden state {@code [B*n, H]}
 * row-major, the head's output (logits {@code [B, labels]}, or the pooled output; null for a
 * model without a pooler), the client's traffic and what the inference cost.
 *
 * @param inputBytes  client to parties (both shares)
 * @param outputBytes parties to client (both shares)
 */
public record BertInference(double[] hidden, double[] head, long inputBytes, long outputBytes, InferenceCost cost) {
}
