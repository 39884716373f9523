package dev.secformer.nn.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.secformer.nn.BertConfig;
import dev.secformer.nn.BertWeights;
import dev.secformer.nn.onnx.OnnxProtos.AttributeProto;
import dev.secformer.nn.onnx.OnnxProtos.GraphProto;
import dev.secformer.nn.onnx.OnnxProtos.ModelProto;
import dev.secformer.nn.onnx.OnnxProtos.NodeProto;
import dev.secformer.nn.onnx.OnnxProtos.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a BERT encoder from an ONNX export of a Hugging Face model by following the graph:
 *
 * <ul>
 *   <li>a linear layer is a MatMul with a 2-D weight initializer ({@code [in, out]}) whose output
 *       feeds an Add with a bias initializer; the bias's parameter name (for example
 *       {@code encoder.layer.3.attention.self.key.bias}) says which layer and projection it is,
 *       whatever the weight itself is called (often {@code onnx::MatMul_NNN});</li>
 *   <li>the embedding tables are the Gather nodes' 2-D data initializers, told apart by their
 *       indices: the graph inputs {@code input_ids} and {@code token_type_ids}, and otherwise the
 *       position ids;</li>
 *   <li>LayerNorm scale and shift are the initializers named {@code ...LayerNorm.weight|bias}
 *       (a LayerNormalization node or its decomposition), epsilon the constant added before Sqrt
 *       (or the node's attribute);</li>
 *   <li>the head count comes from the constant that divides Q K^T (sqrt(d_head)).</li>
 * </ul>
 *
 * <p>Every problem is reported with the file and what is missing or wrong.
 */
public final class OnnxBertLoader {
    private static final Pattern LINEAR = Pattern.compile(
            "(?:bert\\.)?encoder\\.layer\\.(\\d+)\\.(attention\\.self\\.query|attention\\.self\\.key|attention\\.self\\.value"
                    + "|attention\\.output\\.dense|intermediate\\.dense|output\\.dense)\\.bias");
    private static final Pattern HEAD = Pattern.compile("(?:bert\\.)?(pooler\\.dense|classifier)\\.bias");
    private static final Pattern LAYER_NORM = Pattern.compile(
            "(?:bert\\.)?(embeddings|encoder\\.layer\\.(\\d+)\\.(attention\\.output|output))\\.LayerNorm\\.(weight|bias)");
    private static final Map<String, String> ROLES = Map.of(
            "attention.self.query", "query", "attention.self.key", "key", "attention.self.value", "value",
            "attention.output.dense", "attention_output", "intermediate.dense", "ffn_in", "output.dense", "ffn_out");

    private OnnxBertLoader() {
    }

    public static BertWeights load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    /** @param source the name used in error messages */
    public static BertWeights load(InputStream in, String source) throws IOException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(source + ": not a valid ONNX model (" + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new IOException(source + ": the ONNX model has no graph");
        }
        return new Reader(model.getGraph(), source).read();
    }

    /** One pass over a graph. */
    private static final class Reader {
        private final GraphProto graph;
        private final String source;
        private final Map<String, TensorProto> initializers = new HashMap<>();
        private final Map<String, TensorProto> constants = new HashMap<>();
        private final Map<String, List<NodeProto>> consumers = new HashMap<>();
        private final Map<String, NodeProto> producers = new HashMap<>();
        private final Map<String, float[]> tensors = new HashMap<>();

        Reader(GraphProto graph, String source) {
            this.graph = graph;
            this.source = source;
            for (TensorProto t : graph.getInitializerList()) {
                initializers.put(t.getName(), t);
            }
            for (NodeProto n : graph.getNodeList()) {
                for (String i : n.getInputList()) {
                    consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
                }
                for (String o : n.getOutputList()) {
                    producers.put(o, n);
                }
                if (n.getOpType().equals("Constant")) {
                    for (AttributeProto a : n.getAttributeList()) {
                        if (a.getName().equals("value") && a.hasT()) {
                            constants.put(n.getOutput(0), a.getT());
                        }
                    }
                }
            }
        }

        BertWeights read() throws IOException {
            int[] wordShape = null;
            int[] positionShape = null;
            int[] typeShape = null;
            double eps = Double.NaN;
            int headDim = -1;
            for (NodeProto n : graph.getNodeList()) {
                switch (n.getOpType()) {
                    case "MatMul" -> linear(n);
                    case "Gemm" -> gemm(n);
                    case "Gather" -> {
                        TensorProto table = initializers.get(n.getInput(0));
                        if (table != null && table.getDimsCount() == 2) {
                            String indices = n.getInput(1);
                            String key = indices.equals("input_ids") ? "embeddings.word"
                                    : indices.equals("token_type_ids") ? "embeddings.token_type" : "embeddings.position";
                            tensors.put(key, floats(table));
                            int[] shape = {(int) table.getDims(0), (int) table.getDims(1)};
                            switch (key) {
                                case "embeddings.word" -> wordShape = shape;
                                case "embeddings.token_type" -> typeShape = shape;
                                default -> positionShape = shape;
                            }
                        }
                    }
                    case "Sqrt" -> {
                        NodeProto add = producers.get(n.getInput(0));
                        if (add != null && add.getOpType().equals("Add")) {
                            for (String i : add.getInputList()) {
                                TensorProto c = constant(i);
                                if (c != null) {
                                    eps = floats(c)[0];
                                }
                            }
                        }
                    }
                    case "LayerNormalization" -> {
                        for (AttributeProto a : n.getAttributeList()) {
                            if (a.getName().equals("epsilon")) {
                                eps = a.getF();
                            }
                        }
                    }
                    case "Div" -> headDim = Math.max(headDim, scoreScale(n));
                    case "Mul", "Add", "Sub", "Pow", "ReduceMean", "Erf", "Softmax", "Tanh", "Reshape", "Transpose", "Shape",
                         "Unsqueeze", "Concat", "Cast", "Slice", "Constant", "Where", "Equal", "Expand",
                         "ConstantOfShape", "Squeeze", "Identity", "Range" -> {
                        // graph plumbing: nothing to read
                    }
                    default -> throw new IOException(source + ": unsupported ONNX op " + n.getOpType()
                            + " (node " + n.getName() + ")");
                }
            }
            for (TensorProto t : graph.getInitializerList()) {
                Matcher m = LAYER_NORM.matcher(t.getName());
                if (m.matches()) {
                    String prefix = m.group(1).equals("embeddings") ? "embeddings.ln"
                            : m.group(2) + (m.group(3).equals("output") ? ".output_ln" : ".attention_ln");
                    tensors.put(prefix + (m.group(4).equals("weight") ? ".gamma" : ".beta"), floats(t));
                }
            }
            if (wordShape == null || positionShape == null || typeShape == null) {
                throw new IOException(source + ": embedding tables not found (expected Gather nodes on input_ids, "
                        + "token_type_ids and position ids)");
            }
            if (headDim <= 0) {
                throw new IOException(source + ": cannot find the attention scale (a Div of Q K^T by sqrt(d_head))");
            }
            if (Double.isNaN(eps)) {
                throw new IOException(source + ": cannot find the LayerNorm epsilon");
            }
            int hidden = wordShape[1];
            int layers = 0;
            while (tensors.containsKey(layers + ".query.weight")) {
                layers++;
            }
            if (layers == 0) {
                throw new IOException(source + ": no encoder layer found (MatMul + Add with an encoder.layer.N bias)");
            }
            float[] ffnIn = tensors.get("0.ffn_in.bias");
            if (ffnIn == null) {
                throw new IOException(source + ": layer 0 has no intermediate (FFN) projection");
            }
            BertConfig config = new BertConfig(hidden, layers, hidden / headDim, ffnIn.length, wordShape[0],
                    positionShape[0], typeShape[0], eps);
            try {
                return new BertWeights(config, tensors, source);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        private void linear(NodeProto matmul) throws IOException {
            TensorProto w = initializers.get(matmul.getInput(1));
            if (w == null || w.getDimsCount() != 2) {
                return; // a product of two activations (attention)
            }
            for (NodeProto add : consumers.getOrDefault(matmul.getOutput(0), List.of())) {
                if (!add.getOpType().equals("Add")) {
                    continue;
                }
                for (String in : add.getInputList()) {
                    Matcher head = HEAD.matcher(in);
                    if (head.matches() && initializers.containsKey(in)) {
                        String key = head.group(1).equals("classifier") ? "classifier" : "pooler";
                        tensors.put(key + ".weight", floats(w));
                        tensors.put(key + ".bias", floats(initializers.get(in)));
                    }
                    Matcher m = LINEAR.matcher(in);
                    if (m.matches() && initializers.containsKey(in)) {
                        String key = m.group(1) + "." + ROLES.get(m.group(2));
                        tensors.put(key + ".weight", floats(w));
                        tensors.put(key + ".bias", floats(initializers.get(in)));
                    }
                }
            }
        }

        /** A Gemm (the usual export of the pooler and the classifier): y = x B' + C with B' = B^T when transB. */
        private void gemm(NodeProto n) throws IOException {
            if (n.getInputCount() < 3) {
                return;
            }
            TensorProto w = initializers.get(n.getInput(1));
            Matcher head = HEAD.matcher(n.getInput(2));
            if (w == null || w.getDimsCount() != 2 || !head.matches() || !initializers.containsKey(n.getInput(2))) {
                return;
            }
            boolean transB = false;
            for (AttributeProto a : n.getAttributeList()) {
                transB |= a.getName().equals("transB") && a.getI() != 0;
            }
            float[] v = floats(w);
            if (transB) {
                v = dev.secformer.nn.hf.HuggingFaceCheckpoint.transpose(v, (int) w.getDims(0), (int) w.getDims(1));
            }
            String key = head.group(1).equals("classifier") ? "classifier" : "pooler";
            tensors.put(key + ".weight", v);
            tensors.put(key + ".bias", floats(initializers.get(n.getInput(2))));
        }

        /** d_head when {@code div} divides Q K^T (a MatMul of two activations) by sqrt(d_head); else -1. */
        private int scoreScale(NodeProto div) throws IOException {
            NodeProto mm = producers.get(div.getInput(0));
            TensorProto c = constant(div.getInput(1));
            if (mm == null || !mm.getOpType().equals("MatMul") || initializers.containsKey(mm.getInput(1)) || c == null) {
                return -1;
            }
            double s = floats(c)[0];
            return (int) Math.round(s * s);
        }

        private TensorProto constant(String name) {
            TensorProto t = constants.get(name);
            return t != null ? t : initializers.get(name);
        }

        private float[] floats(TensorProto t) throws IOException {
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            if (t.getDataType() != 1) {
                if (t.getDataType() == 11 && t.getDoubleDataCount() > 0) {
                    float[] r = new float[t.getDoubleDataCount()];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = (float) t.getDoubleData(i);
                    }
                    return r;
                }
                throw new IOException(source + ": tensor " + t.getName() + " has data type " + t.getDataType()
                        + ", only float32 weights are supported");
            }
            float[] r;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                if (b.remaining() != 4 * n) {
                    throw new IOException(source + ": tensor " + t.getName() + " has " + b.remaining()
                            + " bytes of data for " + n + " floats (truncated file?)");
                }
                r = new float[(int) n];
                b.asFloatBuffer().get(r);
            } else {
                if (t.getFloatDataCount() != n) {
                    throw new IOException(source + ": tensor " + t.getName() + " has " + t.getFloatDataCount()
                            + " values for shape " + t.getDimsList());
                }
                r = new float[(int) n];
                for (int i = 0; i < r.length; i++) {
                    r[i] = t.getFloatData(i);
                }
            }
            return r;
        }
    }
}
