package io.gancluster.core.data;

/**
 * A data file is missing, malformed or inconsistent. The message always starts with the file
 * ("/x/train-images-idx3-ubyte.gz: ...") so a user can act on it without a stack trace.
 */
public class DataFileException extends IllegalArgumentException {
  private final String file;
  private final String problem;

  public DataFileException(String file, String problem) {
    this(file, problem, null);
  }

  public DataFileException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file (or classpath resource, or directory) the problem is about. */
  public String file() {
    return file;
  }

  /** What is wrong with it, without the file name. */
  public String problem() {
    return problem;
  }
}
