package dev.secformer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code secformer} command. Exit codes: 0 success, 1 failure, 2 bad usage. */
@Command(name = "secformer", mixinStandardHelpOptions = true, version = "secformer 0.1.0",
        description = "Privacy-preserving Transformer inference under two-party secure computation.",
        subcommands = {EmbedCommand.class, DemoCommand.class, KeygenCommand.class, SplitModelCommand.class,
                DealerCommand.class, PartyCommand.class, ClientCommand.class, DistillCommand.class, EvalCommand.class})
public final class Secformer implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Builds the command line with the project's error handling: one-line messages, no stack trace for user errors. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Secformer());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) {
                cmd.getErr().println("secformer: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
