package io.gancluster.launcher;

import io.gancluster.core.checkpoint.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Mistakes a user can fix (bad preset, data file, address) print one line, not a stack trace. */
final class ErrorReporter implements IExecutionExceptionHandler {
  static final int USAGE_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof IllegalArgumentException) && !(t instanceof IllegalStateException)) {
      t = t.getCause();
    }
    if (t instanceof IllegalArgumentException || t instanceof IllegalStateException
        || t instanceof java.util.NoSuchElementException || t instanceof CheckpointException) {
      cmd.getErr().println(cmd.getColorScheme().errorText("gan " + cmd.getCommandName() + ": " + t.getMessage()));
      return USAGE_ERROR;
    }
    throw new IllegalStateException(e);
  }
}
