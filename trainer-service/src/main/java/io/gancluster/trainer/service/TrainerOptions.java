package io.gancluster.trainer.service;

import io.gancluster.runtime.security.Security;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.trainer.eval.EvaluationSettings;
import io.gancluster.client.Retry;
import io.gancluster.trainer.run.RunConfig;

/** Configuration of a trainer-service instance: its port, its peers, and the run it coordinates. */
public final class TrainerOptions {
  public static final int DEFAULT_PORT = 9093;
  public static final String DEFAULT_HOST = "127.0.0.1";

  private Security security = Security.NONE;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int healthPort = -1;
  private HostPort generator = new HostPort(DEFAULT_HOST, NetworkServiceOptions.GENERATOR_PORT);
  private HostPort discriminator = new HostPort(DEFAULT_HOST, NetworkServiceOptions.DISCRIMINATOR_PORT);
  private RunConfig run;
  private boolean autoStart = true;
  private Retry retry = Retry.defaults();
  private io.gancluster.trainer.run.TrainingRun.NonFinitePolicy nonFinite =
      io.gancluster.trainer.run.TrainingRun.NonFinitePolicy.STOP;

  public io.gancluster.trainer.run.TrainingRun.NonFinitePolicy getNonFinite() {
    return nonFinite;
  }

  /** What a NaN/Inf loss or gradient does: stop the run (default) or skip the step. */
  public TrainerOptions setNonFinite(io.gancluster.trainer.run.TrainingRun.NonFinitePolicy nonFinite) {
    this.nonFinite = nonFinite;
    return this;
  }
  private EvaluationSettings evaluation = EvaluationSettings.OFF;

  public String getHost() {
    return host;
  }

  public TrainerOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public TrainerOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public int getHealthPort() {
    return healthPort;
  }

  /** Plaintext port answering only the gRPC health check (for probes that cannot speak TLS); 0: any free one; -1: none. */
  public TrainerOptions setHealthPort(int healthPort) {
    this.healthPort = healthPort;
    return this;
  }

  public HostPort getGenerator() {
    return generator;
  }

  public TrainerOptions setGenerator(HostPort generator) {
    this.generator = generator;
    return this;
  }

  public HostPort getDiscriminator() {
    return discriminator;
  }

  public TrainerOptions setDiscriminator(HostPort discriminator) {
    this.discriminator = discriminator;
    return this;
  }

  public RunConfig getRun() {
    return run;
  }

  public TrainerOptions setRun(RunConfig run) {
    this.run = run;
    return this;
  }

  /** Start training as soon as the service is up (the CLI's train/demo), rather than on a Start call. */
  public boolean isAutoStart() {
    return autoStart;
  }

  public TrainerOptions setAutoStart(boolean autoStart) {
    this.autoStart = autoStart;
    return this;
  }

  /** How calls to an unavailable peer are retried. */
  public EvaluationSettings getEvaluation() {
    return evaluation;
  }

  /** Off unless set (the command line turns it on): the first evaluation trains the data set's evaluator. */
  public TrainerOptions setEvaluation(EvaluationSettings evaluation) {
    this.evaluation = evaluation;
    return this;
  }

  public Retry getRetry() {
    return retry;
  }

  public TrainerOptions setRetry(Retry retry) {
    this.retry = retry;
    return this;
  }

  public Security getSecurity() {
    return security;
  }

  /** TLS and bearer tokens for this service's server and for the calls it makes (default: none). */
  public TrainerOptions setSecurity(Security security) {
    this.security = java.util.Objects.requireNonNull(security);
    return this;
  }
}
