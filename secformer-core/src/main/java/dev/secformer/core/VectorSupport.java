package dev.secformer.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Chooses between an implementation on the incubating Vector API and its scalar twin: the vector
 * one when the JVM was started with {@code --add-modules jdk.incubator.vector} and the system
 * property {@code secformer.scalarKernels} is not true, the scalar one otherwise. Both must give
 * identical results; only speed differs. With the module present, a vector class that does not
 * load is an error, not a silent fall-back.
 */
public final class VectorSupport {
    private VectorSupport() {
    }

    /**
     * A new {@code vectorClass} (a no-argument constructor that {@code caller} can see; the class is
     * loaded only here, so that a JVM without the module never links it), or {@code scalar}.
     */
    public static <T> T choose(MethodHandles.Lookup caller, Class<T> type, String vectorClass, T scalar) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() || Boolean.getBoolean("secformer.scalarKernels")) {
            return scalar;
        }
        try {
            Class<?> c = caller.findClass(vectorClass);
            return type.cast(caller.findConstructor(c, MethodType.methodType(void.class)).invoke());
        } catch (Throwable e) { // the module is there, so this is a defect: say so rather than run slowly
            throw new IllegalStateException(vectorClass + " did not load: " + e, e);
        }
    }
}
