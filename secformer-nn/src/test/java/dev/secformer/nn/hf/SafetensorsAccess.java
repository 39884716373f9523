package dev.secformer.nn.hf;

/** Test access to package-private conversions. */
public final class SafetensorsAccess {
    private SafetensorsAccess() {
    }

    public static float half(short h) {
        return Safetensors.halfToFloat(h);
    }
}
