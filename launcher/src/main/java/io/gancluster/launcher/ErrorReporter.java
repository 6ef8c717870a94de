package io.gancluster.launcher;

import io.gancluster.core.checkpoint.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Mistakes a user can fix (bad preset, data file, address) print one line, not a stack trace. */
final class ErrorReporter implements IExecutionExceptionHandler {
  static final int USAGE_ERROR = 2;

  /** A GPU the ND4J build has no code for: as for a usage error, the fix is the setup's, not a retry. */
  static final int UNSUPPORTED_GPU = 2;

  /** A peer service failed or could not be reached: reported in one line, as the service said it. */
  static final int PEER_ERROR = 1;

  private static boolean userFixable(Throwable t) {
    return t instanceof IllegalArgumentException || t instanceof IllegalStateException
        || t instanceof java.util.NoSuchElementException || t instanceof CheckpointException;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof io.gancluster.core.compute.UnsupportedGpuException u) {
        cmd.getErr().println(cmd.getColorScheme().errorText("gan " + cmd.getCommandName() + ": " + u.getMessage()));
        return UNSUPPORTED_GPU;
      }
      if (c instanceof io.gancluster.runtime.rpc.RpcException r) {
        cmd.getErr().println(cmd.getColorScheme().errorText("gan " + cmd.getCommandName() + ": " + r.getMessage()));
        return PEER_ERROR;
      }
    }
    // the innermost cause a user can act on (a bad option or file, named by the layer that knows it);
    // a checkpoint error is reported as such, not as the zip library's EOF beneath it
    Throwable t = e;
    while (t.getCause() != null && !userFixable(t)) {
      t = t.getCause();
    }
    if (userFixable(t)) {
      cmd.getErr().println(cmd.getColorScheme().errorText("gan " + cmd.getCommandName() + ": " + t.getMessage()));
      return USAGE_ERROR;
    }
    throw new IllegalStateException(e);
  }
}
