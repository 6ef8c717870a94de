package io.gancluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gancluster.core.compute.ComputeCapability;
import io.gancluster.core.compute.CudaSupport;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.generator.serving.ServingMetrics;
import io.gancluster.proto.v1.DiscriminatorServiceGrpcService;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.gancluster.proto.v1.SamplingServiceGrpcService;
import io.gancluster.proto.v1.TrainerServiceGrpcService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders k8s/overlays/cpu, k8s/overlays/gpu and k8s/overlays/tls with {@code kubectl kustomize} and checks the objects
 * against the code: the ports and gRPC service names the services really use, the flags the launcher
 * takes, the meters the serving replicas export. Skipped (with a message) where kubectl is not installed.
 */
class KustomizeManifestsIT {
  private static final String NAMESPACE = "gan-cluster";
  private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job");

  private static final String GENERATOR_SERVICE = GeneratorServiceGrpcService.SERVICE_NAME.fullyQualifiedName();
  private static final String DISCRIMINATOR_SERVICE =
      DiscriminatorServiceGrpcService.SERVICE_NAME.fullyQualifiedName();
  private static final String TRAINER_SERVICE = TrainerServiceGrpcService.SERVICE_NAME.fullyQualifiedName();
  private static final String SAMPLING_SERVICE = SamplingServiceGrpcService.SERVICE_NAME.fullyQualifiedName();

  /** Each gRPC service the code has, and the port the code gives it. */
  private static final Map<String, Integer> GRPC_PORTS = Map.of(
      GENERATOR_SERVICE, NetworkServiceOptions.GENERATOR_PORT,
      DISCRIMINATOR_SERVICE, NetworkServiceOptions.DISCRIMINATOR_PORT,
      TRAINER_SERVICE, GatewayOptions.DEFAULT_TRAINER_PORT,
      SAMPLING_SERVICE, GatewayOptions.DEFAULT_GRPC_PORT);

  /** Which gRPC service each workload must be probed on. */
  private static final Map<String, String> WORKLOAD_SERVICE = Map.of(
      "gan-generator", GENERATOR_SERVICE,
      "gan-train-generator", GENERATOR_SERVICE,
      "gan-discriminator", DISCRIMINATOR_SERVICE,
      "gan-trainer", TRAINER_SERVICE,
      "gan-gateway", SAMPLING_SERVICE);

  /** The workloads whose networks run on a GPU in the gpu overlay. */
  private static final Set<String> GPU_WORKLOADS = Set.of("gan-generator", "gan-train-generator", "gan-discriminator");

  /** NVIDIA GPU feature discovery's node labels for the GPU's compute capability. */
  private static final String GPU_MAJOR_LABEL = "nvidia.com/gpu.compute.major";
  private static final String GPU_MINOR_LABEL = "nvidia.com/gpu.compute.minor";

  private static final Set<String> CLUSTER_MEMBERS = Set.of("gan-generator", "gan-gateway", "gan-trainer");

  private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

  // ---------------------------------------------------------------------------------------------
  // resources and security

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void everyContainerHasCpuAndMemoryLimits(String overlay) {
    List<Workload> workloads = workloads(overlay);
    assertThat(workloads).extracting(Workload::name).containsExactlyInAnyOrder(
        "gan-generator", "gan-gateway", "gan-trainer", "gan-discriminator", "gan-train-generator");
    for (Workload w : workloads) {
      for (Map<String, Object> c : w.allContainers()) {
        String where = w.name() + "/" + c.get("name");
        Map<String, Object> requests = map(c, "resources", "requests");
        Map<String, Object> limits = map(c, "resources", "limits");
        for (String resource : List.of("cpu", "memory")) {
          assertThat(requests).as("%s requests", where).containsKey(resource);
          assertThat(limits).as("%s limits", where).containsKey(resource);
          double request = quantity(requests.get(resource));
          double limit = quantity(limits.get(resource));
          assertThat(request).as("%s %s request", where, resource).isPositive();
          assertThat(request).as("%s %s request <= limit", where, resource).isLessThanOrEqualTo(limit);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void everyPodRunsAsNonRootOnAReadOnlyRootFilesystem(String overlay) {
    for (Workload w : workloads(overlay)) {
      Map<String, Object> pod = w.podSpec();
      assertThat(pod.get("automountServiceAccountToken")).as("%s automountServiceAccountToken", w.name())
          .isEqualTo(false);
      Map<String, Object> podSecurity = map(pod, "securityContext");
      assertThat(podSecurity.get("runAsNonRoot")).as("%s pod runAsNonRoot", w.name()).isEqualTo(true);
      assertThat(map(podSecurity, "seccompProfile").get("type")).as("%s pod seccomp", w.name())
          .isEqualTo("RuntimeDefault");
      Set<String> emptyDirs = list(pod, "volumes").stream().map(KustomizeManifestsIT::asMap)
          .filter(v -> v.containsKey("emptyDir")).map(v -> (String) v.get("name")).collect(Collectors.toSet());
      for (Map<String, Object> c : w.allContainers()) {
        String where = w.name() + "/" + c.get("name");
        Map<String, Object> sc = map(c, "securityContext");
        assertThat(sc.get("runAsNonRoot")).as("%s runAsNonRoot", where).isEqualTo(true);
        assertThat(sc.get("runAsUser")).as("%s runAsUser", where).isEqualTo(1000);
        assertThat(sc.get("runAsGroup")).as("%s runAsGroup", where).isEqualTo(1000);
        assertThat(sc.get("allowPrivilegeEscalation")).as("%s allowPrivilegeEscalation", where).isEqualTo(false);
        assertThat(sc.get("readOnlyRootFilesystem")).as("%s readOnlyRootFilesystem", where).isEqualTo(true);
        assertThat(list(sc, "capabilities", "drop")).as("%s capabilities.drop", where).contains("ALL");
        assertThat(map(sc, "seccompProfile").get("type")).as("%s seccomp", where).isEqualTo("RuntimeDefault");
        // read-only root: HOME (where JavaCPP extracts the native libraries) must be a writable emptyDir
        assertThat(env(c)).as("%s env", where).containsEntry("HOME", "/tmp");
        assertThat(env(c).get("JAVA_TOOL_OPTIONS")).as("%s JAVA_TOOL_OPTIONS", where)
            .contains("-XX:MaxRAMPercentage=60");
        assertThat(list(c, "volumeMounts")).as("%s mounts an emptyDir at /tmp", where)
            .anySatisfy(m -> {
              assertThat(asMap(m).get("mountPath")).isEqualTo("/tmp");
              assertThat(emptyDirs).contains((String) asMap(m).get("name"));
            });
        assertThat(c.get("workingDir")).as("%s workingDir", where).isEqualTo("/app");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // probes, ports and the launcher's flags

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void everyGrpcProbeNamesARealServiceOnThePortTheCodeGivesIt(String overlay) {
    int grpcProbes = 0;
    for (Workload w : workloads(overlay)) {
      for (Map<String, Object> c : w.containers()) {
        Map<String, Integer> declared = containerPorts(c);
        for (String kind : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
          Map<String, Object> grpc = map(c, kind, "grpc");
          if (grpc.isEmpty()) {
            continue;
          }
          grpcProbes++;
          String where = w.name() + " " + kind;
          String service = (String) grpc.get("service");
          int port = ((Number) grpc.get("port")).intValue();
          assertThat(GRPC_PORTS).as("%s names a gRPC service of the code", where).containsKey(service);
          assertThat(service).as("%s probes the workload's own service", where)
              .isEqualTo(WORKLOAD_SERVICE.get(w.name()));
          if (tls(c)) { // kubelet's gRPC probes speak no TLS: the plaintext health port
            assertThat(String.valueOf(port)).as("%s port is --health-port", where).isEqualTo(flag(args(c), "--health-port"));
            assertThat(declared.get("health")).as("%s port is the containerPort named health", where).isEqualTo(port);
          } else {
            assertThat(port).as("%s port is the code's port for %s", where, service).isEqualTo(GRPC_PORTS.get(service));
          }
          assertThat(declared).as("%s port is a declared containerPort", where).containsValue(port);
        }
      }
    }
    assertThat(grpcProbes).as("grpc probes").isGreaterThanOrEqualTo(WORKLOAD_SERVICE.size() + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void everyWorkloadIsReadyOnlyWhenItsGrpcServiceServesAndHasALivenessProbe(String overlay) {
    for (Workload w : workloads(overlay)) {
      Map<String, Object> c = w.container();
      assertThat(map(c, "readinessProbe", "grpc").get("service")).as("%s readiness", w.name())
          .isEqualTo(WORKLOAD_SERVICE.get(w.name()));
      assertThat(map(c, "livenessProbe")).as("%s liveness", w.name()).isNotEmpty();
      Map<String, Object> httpGet = map(c, "livenessProbe", "httpGet");
      if (!httpGet.isEmpty()) { // the gateway: /health on its HTTP port, which is HTTPS with --tls-cert
        assertThat(httpGet.get("path")).isEqualTo("/health");
        assertThat(resolvePort(c, httpGet.get("port"))).as("%s liveness port", w.name())
            .isEqualTo(GatewayOptions.DEFAULT_HTTP_PORT);
        assertThat(httpGet.getOrDefault("scheme", "HTTP")).as("%s liveness scheme", w.name())
            .isEqualTo(tls(c) ? "HTTPS" : "HTTP");
      }
    }
    // loading a model takes 10-30 s: liveness must not restart a replica that is still loading
    Map<String, Object> liveness = map(workload(overlay, "gan-generator").container(), "livenessProbe");
    assertThat(intAt(liveness, "initialDelaySeconds") + intAt(liveness, "periodSeconds") * intAt(liveness,
        "failureThreshold")).as("seconds before a replica still loading its model is restarted")
        .isGreaterThanOrEqualTo(60);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void portFlagsInArgsAreTheDeclaredContainerPorts(String overlay) {
    Map<String, String> subcommands = Map.of("gan-generator", "serve-replica", "gan-gateway", "serve-gateway",
        "gan-trainer", "train", "gan-discriminator", "serve-discriminator", "gan-train-generator", "serve-generator");
    for (Workload w : workloads(overlay)) {
      Map<String, Object> c = w.container();
      List<String> args = args(c);
      assertThat(args).as("%s args", w.name()).isNotEmpty();
      assertThat(args.get(0)).as("%s subcommand", w.name()).isEqualTo(subcommands.get(w.name()));
      assertThat(flag(args, "--host")).as("%s binds all interfaces", w.name()).isEqualTo("0.0.0.0");
      Map<String, Integer> ports = containerPorts(c);
      int grpcPort = GRPC_PORTS.get(WORKLOAD_SERVICE.get(w.name()));
      String grpcFlag = w.name().equals("gan-gateway") ? "--grpc-port" : "--port";
      assertThat(flag(args, grpcFlag)).as("%s %s", w.name(), grpcFlag).isEqualTo(String.valueOf(grpcPort));
      assertThat(ports.get("grpc")).as("%s port named grpc", w.name()).isEqualTo(grpcPort);
      int probed = ((Number) map(c, "readinessProbe", "grpc").get("port")).intValue();
      assertThat(probed).as("%s readiness port", w.name()).isEqualTo(tls(c) ? ports.get("health") : grpcPort);
      String healthPort = flag(args, "--health-port");
      assertThat(healthPort == null ? null : Integer.valueOf(healthPort)).as("%s --health-port", w.name())
          .isEqualTo(ports.get("health"));
      String metricsPort = flag(args, "--metrics-port");
      if (metricsPort != null) {
        assertThat(ports.get("metrics")).as("%s port named metrics", w.name()).isEqualTo(Integer.valueOf(metricsPort));
      }
      if (w.name().equals("gan-gateway")) {
        assertThat(flag(args, "--http-port")).isEqualTo(String.valueOf(GatewayOptions.DEFAULT_HTTP_PORT));
        assertThat(ports.get("http")).isEqualTo(GatewayOptions.DEFAULT_HTTP_PORT);
      }
    }
    assertThat(flag(args(workload(overlay, "gan-generator").container()), "--metrics-port")).isEqualTo("9191");
    assertThat(flag(args(workload(overlay, "gan-discriminator").container()), "--metrics-port")).isEqualTo("9192");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void peerAddressesInArgsAreServicesSelectingTheRightPods(String overlay) {
    // flag of a workload -> the workload its HOST:PORT must reach
    Map<String, Map<String, String>> peers = Map.of(
        "gan-generator", Map.of("--trainer", "gan-trainer"),
        "gan-gateway", Map.of("--trainer", "gan-trainer"),
        "gan-trainer", Map.of("--generator", "gan-train-generator", "--discriminator", "gan-discriminator"));
    List<Map<String, Object>> objects = render(overlay);
    for (var entry : peers.entrySet()) {
      List<String> args = args(workload(overlay, entry.getKey()).container());
      for (var peer : entry.getValue().entrySet()) {
        String address = flag(args, peer.getKey());
        String where = entry.getKey() + " " + peer.getKey() + " " + address;
        assertThat(address).as(where).matches("[a-z0-9-]+:\\d+");
        String host = address.substring(0, address.indexOf(':'));
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
        Map<String, Object> service = find(objects, "Service", host);
        assertThat(service).as("%s: a Service named %s", where, host).isNotNull();
        Workload target = workload(overlay, peer.getValue());
        assertThat(matchLabels(map(service, "spec", "selector"), target.podLabels()))
            .as("%s: Service %s selects %s", where, host, target.name()).isTrue();
        Map<String, Object> servicePort = list(service, "spec", "ports").stream().map(KustomizeManifestsIT::asMap)
            .filter(p -> ((Number) p.get("port")).intValue() == port).findFirst().orElse(null);
        assertThat(servicePort).as("%s: Service %s has port %d", where, host, port).isNotNull();
        Object targetPort = servicePort.getOrDefault("targetPort", port);
        assertThat(resolvePort(target.container(), targetPort)).as("%s: target port", where)
            .isEqualTo(containerPorts(target.container()).get("grpc"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void servicesTargetPortsThatTheSelectedPodsDeclare(String overlay) {
    List<Map<String, Object>> services = objects(overlay, "Service");
    assertThat(services).extracting(s -> name(s)).contains("gan-generator", "gan-gateway", "gan-trainer",
        "gan-discriminator", "gan-train-generator", "gan-hazelcast");
    for (Map<String, Object> service : services) {
      Map<String, Object> selector = map(service, "spec", "selector");
      assertThat(selector).as("Service %s has a selector", name(service)).isNotEmpty();
      List<Workload> selected = workloads(overlay).stream().filter(w -> matchLabels(selector, w.podLabels()))
          .toList();
      assertThat(selected).as("pods selected by Service %s", name(service)).isNotEmpty();
      for (Object o : list(service, "spec", "ports")) {
        Map<String, Object> port = asMap(o);
        assertThat(port.get("name")).as("Service %s ports are named", name(service)).isNotNull();
        Object targetPort = port.getOrDefault("targetPort", port.get("port"));
        for (Workload w : selected) {
          assertThat(resolvePort(w.container(), targetPort))
              .as("Service %s port %s -> a containerPort of %s", name(service), port.get("name"), w.name())
              .isNotNull();
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // TLS

  @Test
  void tlsOverlayServesEveryWorkloadWithTheMountedSecretsCertificate() {
    for (Workload w : workloads("tls")) {
      Map<String, Object> c = w.container();
      List<String> args = args(c);
      assertThat(tls(c)).as("%s --tls-cert", w.name()).isTrue();
      Map<String, Object> volume = list(w.podSpec(), "volumes").stream().map(KustomizeManifestsIT::asMap)
          .filter(v -> "gan-tls".equals(map(v, "secret").get("secretName"))).findFirst().orElse(null);
      assertThat(volume).as("%s a volume from the Secret gan-tls", w.name()).isNotNull();
      Map<String, Object> mount = list(c, "volumeMounts").stream().map(KustomizeManifestsIT::asMap)
          .filter(m -> volume.get("name").equals(m.get("name"))).findFirst().orElse(null);
      assertThat(mount).as("%s mounts it", w.name()).isNotNull();
      assertThat(mount.get("readOnly")).isEqualTo(true);
      String dir = mount.get("mountPath") + "/";
      // the keys of a kubernetes.io/tls Secret (and the CA beside them), where the flags look
      assertThat(flag(args, "--tls-cert")).isEqualTo(dir + "tls.crt");
      assertThat(flag(args, "--tls-key")).isEqualTo(dir + "tls.key");
      assertThat(flag(args, "--tls-ca")).isEqualTo(dir + "ca.crt");
      assertThat(args).as("%s verifies its peers' names", w.name()).doesNotContain("--tls-no-verify-host");
    }
    for (String overlay : List.of("cpu", "gpu")) {
      for (Workload w : workloads(overlay)) {
        assertThat(args(w.container())).as("%s %s", overlay, w.name()).doesNotContain("--tls-cert", "--health-port");
      }
    }
  }

  @Test
  void tlsOverlayProbesOnlyThePlaintextHealthPortOrHttpsAndNothingElseReachesThatPort() {
    int probes = 0;
    for (Workload w : workloads("tls")) {
      Map<String, Object> c = w.container();
      Map<String, Integer> ports = containerPorts(c);
      Integer health = ports.get("health");
      assertThat(health).as("%s declares a port named health", w.name()).isNotNull();
      assertThat(String.valueOf(health)).as("%s --health-port", w.name()).isEqualTo(flag(args(c), "--health-port"));
      assertThat(ports.entrySet().stream().filter(e -> !e.getKey().equals("health")).map(Map.Entry::getValue))
          .as("%s health port is a port of its own", w.name()).doesNotContain(health);
      for (String kind : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
        Map<String, Object> probe = map(c, kind);
        if (probe.isEmpty()) {
          continue;
        }
        probes++;
        if (probe.containsKey("grpc")) { // no TLS in kubelet's gRPC probes: only the plaintext port works
          assertThat(((Number) map(probe, "grpc").get("port")).intValue()).as("%s %s port", w.name(), kind)
              .isEqualTo(health);
        } else if (probe.containsKey("httpGet")) { // the gateway's /health, on its HTTP port: TLS with --tls-cert
          assertThat(map(probe, "httpGet").get("scheme")).as("%s %s scheme", w.name(), kind).isEqualTo("HTTPS");
        } else {
          fail("%s %s is neither gRPC nor HTTP: %s", w.name(), kind, probe);
        }
      }
      // the kubelet is not subject to NetworkPolicies on common CNIs; no pod and nothing outside may reach it
      assertThat(sourcesAllowed("tls", w.name(), health)).as("who may reach %s's health port", w.name()).isEmpty();
      for (Map<String, Object> service : objects("tls", "Service")) {
        if (matchLabels(map(service, "spec", "selector"), w.podLabels())) {
          for (Object o : list(service, "spec", "ports")) {
            Object target = asMap(o).getOrDefault("targetPort", asMap(o).get("port"));
            assertThat(resolvePort(c, target)).as("Service %s exposes %s's health port", name(service), w.name())
                .isNotEqualTo(health);
          }
        }
      }
    }
    assertThat(probes).isEqualTo(2 * WORKLOAD_SERVICE.size());
    // Prometheus reads the gateway's /metrics from that HTTPS port too
    Map<String, Object> monitor = find(render("tls"), "ServiceMonitor", "gan-gateway");
    Map<String, Object> endpoint = asMap(list(monitor, "spec", "endpoints").get(0));
    assertThat(endpoint.get("port")).isEqualTo("http");
    assertThat(endpoint.get("scheme")).isEqualTo("https");
    assertThat(map(endpoint, "tlsConfig", "ca", "secret").get("name")).isEqualTo("gan-tls");
  }

  @Test
  void withTlsServingReplicasAnnounceADnsNameACertificateCanCoverNotAPodIp() {
    Workload generator = workload("tls", "gan-generator");
    Map<String, Object> c = generator.container();
    String advertised = flag(args(c), "--advertise-host");
    String subdomain = (String) generator.podSpec().get("subdomain");
    assertThat(subdomain).as("pod spec subdomain").isNotNull();
    assertThat(advertised).isEqualTo("$(POD_NAME)." + subdomain + "." + NAMESPACE + ".svc.cluster.local");
    Map<String, Object> podName = list(c, "env").stream().map(KustomizeManifestsIT::asMap)
        .filter(e -> "POD_NAME".equals(e.get("name"))).findFirst().orElse(null);
    assertThat(podName).as("env POD_NAME").isNotNull();
    assertThat(map(podName, "valueFrom", "fieldRef").get("fieldPath")).isEqualTo("metadata.name");
    // <pod>.<subdomain>.<namespace>.svc resolves only through a headless Service of that name selecting the pod
    Map<String, Object> service = find(render("tls"), "Service", subdomain);
    assertThat(service).as("Service %s", subdomain).isNotNull();
    assertThat(map(service, "spec").get("clusterIP")).isEqualTo("None");
    assertThat(matchLabels(map(service, "spec", "selector"), generator.podLabels())).isTrue();
  }

  private static boolean tls(Map<String, Object> container) {
    return args(container).contains("--tls-cert");
  }

  // ---------------------------------------------------------------------------------------------
  // the serving tier: replicas, autoscaling, disruption budget, cluster discovery

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void servingGeneratorRunsAtLeastTwoReplicasScaledByAnHpaOnRequestsAndCpu(String overlay) {
    Workload generator = workload(overlay, "gan-generator");
    assertThat(generator.kind()).isEqualTo("Deployment");
    assertThat(intAt(generator.doc(), "spec", "replicas")).as("gan-generator replicas").isGreaterThanOrEqualTo(2);
    assertThat(args(generator.container())).contains("--drain-seconds");
    int drain = Integer.parseInt(flag(args(generator.container()), "--drain-seconds"));
    assertThat(intAt(generator.doc(), "spec", "template", "spec", "terminationGracePeriodSeconds"))
        .as("grace period covers the drain").isGreaterThan(drain);

    List<Map<String, Object>> hpas = objects(overlay, "HorizontalPodAutoscaler").stream()
        .filter(h -> "Deployment".equals(map(h, "spec", "scaleTargetRef").get("kind"))
            && "gan-generator".equals(map(h, "spec", "scaleTargetRef").get("name")))
        .toList();
    assertThat(hpas).as("HPAs targeting gan-generator").hasSize(1);
    Map<String, Object> hpa = hpas.get(0);
    assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
    assertThat(intAt(hpa, "spec", "minReplicas")).isGreaterThanOrEqualTo(2);
    assertThat(intAt(hpa, "spec", "maxReplicas")).isGreaterThan(intAt(hpa, "spec", "minReplicas"));
    List<Map<String, Object>> metrics = list(hpa, "spec", "metrics").stream().map(KustomizeManifestsIT::asMap)
        .toList();
    assertThat(metrics).as("a Pods metric on requests per second").anySatisfy(m -> {
      assertThat(m.get("type")).isEqualTo("Pods");
      assertThat(map(m, "pods", "metric").get("name")).isEqualTo("gan_serving_requests_per_second");
      assertThat(map(m, "pods", "target").get("type")).isEqualTo("AverageValue");
      assertThat(quantity(map(m, "pods", "target").get("averageValue"))).isPositive();
    });
    assertThat(metrics).as("a cpu Resource metric").anySatisfy(m -> {
      assertThat(m.get("type")).isEqualTo("Resource");
      assertThat(map(m, "resource").get("name")).isEqualTo("cpu");
      assertThat(map(m, "resource", "target").get("type")).isEqualTo("Utilization");
      assertThat(intAt(m, "resource", "target", "averageUtilization")).isBetween(1, 100);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void aDisruptionBudgetKeepsOneGeneratorAndOneGatewayUp(String overlay) {
    List<Map<String, Object>> pdbs = objects(overlay, "PodDisruptionBudget");
    for (String name : List.of("gan-generator", "gan-gateway")) {
      Workload w = workload(overlay, name);
      List<Map<String, Object>> selecting = pdbs.stream()
          .filter(p -> labelSelectorMatches(map(p, "spec", "selector"), w.podLabels())).toList();
      assertThat(selecting).as("PDBs selecting %s", name).hasSize(1);
      int minAvailable = intAt(selecting.get(0), "spec", "minAvailable");
      assertThat(minAvailable).as("%s minAvailable", name).isGreaterThanOrEqualTo(1)
          .isLessThan(intAt(w.doc(), "spec", "replicas")); // else a node drain could never evict one
      // no PDB reaches pods it was not written for
      for (Workload other : workloads(overlay)) {
        if (!other.name().equals(name)) {
          assertThat(labelSelectorMatches(map(selecting.get(0), "spec", "selector"), other.podLabels()))
              .as("PDB for %s selects %s", name, other.name()).isFalse();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void clusterMembersFindEachOtherThroughAHeadlessServiceThatPublishesNotReadyPods(String overlay) {
    for (Workload w : workloads(overlay)) {
      String dns = flag(args(w.container()), "--cluster-kubernetes-service");
      if (!CLUSTER_MEMBERS.contains(w.name())) {
        assertThat(dns).as("%s is no cluster member", w.name()).isNull();
        continue;
      }
      assertThat(dns).as("%s --cluster-kubernetes-service", w.name()).isNotNull();
      String[] parts = dns.split("\\.", 3);
      assertThat(parts).as(dns).hasSize(3);
      assertThat(parts[1]).as("%s namespace", dns).isEqualTo(NAMESPACE);
      assertThat(parts[2]).as(dns).isEqualTo("svc.cluster.local");
      Map<String, Object> service = find(render(overlay), "Service", parts[0]);
      assertThat(service).as("Service %s", parts[0]).isNotNull();
      assertThat(namespace(service)).isEqualTo(NAMESPACE);
      assertThat(map(service, "spec").get("clusterIP")).as("%s is headless", parts[0]).isEqualTo("None");
      assertThat(map(service, "spec").get("publishNotReadyAddresses")).isEqualTo(true);
      assertThat(matchLabels(map(service, "spec", "selector"), w.podLabels()))
          .as("%s selects %s", parts[0], w.name()).isTrue();
      assertThat(containerPorts(w.container())).as("%s hazelcast port", w.name()).containsEntry("hazelcast", 5701);
      assertThat(list(service, "spec", "ports")).anySatisfy(p -> {
        assertThat(asMap(p).get("port")).isEqualTo(5701);
        assertThat(asMap(p).get("name")).isEqualTo("hazelcast");
      });
    }
    Map<String, Object> hazelcast = find(render(overlay), "Service", "gan-hazelcast");
    assertThat(workloads(overlay).stream().filter(w -> matchLabels(map(hazelcast, "spec", "selector"), w.podLabels()))
        .map(Workload::name)).as("gan-hazelcast selects exactly the members").containsExactlyInAnyOrderElementsOf(
        CLUSTER_MEMBERS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void trainerKeepsItsRunFolderOnAPersistentVolume(String overlay) {
    Workload trainer = workload(overlay, "gan-trainer");
    assertThat(trainer.kind()).isEqualTo("StatefulSet");
    assertThat(intAt(trainer.doc(), "spec", "replicas")).isEqualTo(1);
    Map<String, Object> claim = asMap(list(trainer.doc(), "spec", "volumeClaimTemplates").get(0));
    assertThat(map(claim, "metadata").get("name")).isEqualTo("runs");
    assertThat(list(claim, "spec", "accessModes")).containsExactly("ReadWriteOnce");
    assertThat(map(claim, "spec", "resources", "requests").get("storage")).isEqualTo("10Gi");
    Map<String, Object> mount = list(trainer.container(), "volumeMounts").stream().map(KustomizeManifestsIT::asMap)
        .filter(m -> "runs".equals(m.get("name"))).findFirst().orElseThrow();
    assertThat(mount.get("mountPath")).isEqualTo("/data");
    assertThat(flag(args(trainer.container()), "--run-dir")).startsWith("/data/");
    assertThat(map(trainer.podSpec(), "securityContext").get("fsGroup")).isEqualTo(1000);
    assertThat(find(render(overlay), "Service", (String) map(trainer.doc(), "spec").get("serviceName")))
        .as("the StatefulSet's serviceName exists").isNotNull();
  }

  // ---------------------------------------------------------------------------------------------
  // network policies

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void ingressIsDeniedByDefault(String overlay) {
    assertThat(objects(overlay, "NetworkPolicy")).as("a default-deny ingress policy").anySatisfy(p -> {
      assertThat(map(p, "spec", "podSelector")).isEmpty();
      assertThat(list(p, "spec", "policyTypes")).contains("Ingress");
      assertThat(list(p, "spec", "ingress")).isEmpty();
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void servingGeneratorsAcceptGrpcOnlyFromTheGateway(String overlay) {
    assertThat(sourcesAllowed(overlay, "gan-generator", NetworkServiceOptions.GENERATOR_PORT))
        .containsExactly("gan-gateway");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void discriminatorAcceptsOnlyTheTrainer(String overlay) {
    Workload d = workload(overlay, "gan-discriminator");
    for (var named : containerPorts(d.container()).entrySet()) {
      int port = named.getValue();
      // its metrics port is for Prometheus, its health port (tls) for the kubelet alone
      if (port != 9192 && !named.getKey().equals("health")) {
        assertThat(sourcesAllowed(overlay, "gan-discriminator", port)).as("port %d", port)
            .containsExactly("gan-trainer");
      }
    }
    assertThat(sourcesAllowed(overlay, "gan-discriminator", 45_000)).as("any other port").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void networkPoliciesAllowExactlyTheDocumentedMatrix(String overlay) {
    Set<String> everyone = new TreeSet<>(List.of("gan-gateway", "gan-generator", "gan-trainer", "gan-discriminator",
        "gan-train-generator", MONITORING, EXTERNAL));
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    expected.put("gan-gateway:8080", everyone);
    expected.put("gan-gateway:9090", everyone);
    expected.put("gan-generator:9091", Set.of("gan-gateway"));
    expected.put("gan-generator:9191", Set.of(MONITORING));
    expected.put("gan-trainer:9093", Set.of("gan-gateway", "gan-generator"));
    expected.put("gan-discriminator:9092", Set.of("gan-trainer"));
    expected.put("gan-discriminator:9192", Set.of(MONITORING));
    expected.put("gan-train-generator:9091", Set.of("gan-trainer"));
    expected.put("gan-train-generator:9191", Set.of(MONITORING));
    for (String member : CLUSTER_MEMBERS) {
      expected.put(member + ":5701", CLUSTER_MEMBERS);
      expected.put(member + ":5801", CLUSTER_MEMBERS); // the Vert.x event bus, pinned by --cluster-bus-port
      expected.put(member + ":45000", Set.of()); // nothing else between members
    }
    expected.put("gan-discriminator:5701", Set.of());
    expected.put("gan-train-generator:5701", Set.of());
    Map<String, Set<String>> actual = new LinkedHashMap<>();
    for (String target : expected.keySet()) {
      String[] t = target.split(":");
      actual.put(target, sourcesAllowed(overlay, t[0], Integer.parseInt(t[1])));
    }
    assertThat(actual).isEqualTo(expected.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> (Set<String>) new TreeSet<>(e.getValue()), (a, b) -> a, LinkedHashMap::new)));
  }

  // ---------------------------------------------------------------------------------------------
  // monitoring

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void serviceMonitorEndpointsNamePortsOfTheServicesTheySelect(String overlay) {
    List<Map<String, Object>> monitors = objects(overlay, "ServiceMonitor");
    assertThat(monitors).isNotEmpty();
    Set<String> scraped = new TreeSet<>();
    for (Map<String, Object> monitor : monitors) {
      assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
      List<Map<String, Object>> services = objects(overlay, "Service").stream()
          .filter(s -> namespace(s).equals(namespace(monitor)))
          .filter(s -> labelSelectorMatches(map(monitor, "spec", "selector"), labels(s))).toList();
      assertThat(services).as("Services selected by ServiceMonitor %s", name(monitor)).isNotEmpty();
      for (Object e : list(monitor, "spec", "endpoints")) {
        String portName = (String) asMap(e).get("port");
        assertThat(portName).as("ServiceMonitor %s endpoint port", name(monitor)).isNotNull();
        for (Map<String, Object> service : services) {
          Map<String, Object> port = list(service, "spec", "ports").stream().map(KustomizeManifestsIT::asMap)
              .filter(p -> portName.equals(p.get("name"))).findFirst().orElse(null);
          assertThat(port).as("Service %s has a port named %s (ServiceMonitor %s)", name(service), portName,
              name(monitor)).isNotNull();
          // ...which leads to the port the process serves /metrics on
          for (Workload w : workloads(overlay)) {
            if (matchLabels(map(service, "spec", "selector"), w.podLabels())) {
              Integer target = resolvePort(w.container(), port.getOrDefault("targetPort", port.get("port")));
              String metricsFlag = flag(args(w.container()), "--metrics-port");
              String httpFlag = flag(args(w.container()), "--http-port");
              assertThat(String.valueOf(target)).as("%s scraped on its metrics/http port", w.name())
                  .isIn(metricsFlag, httpFlag);
              scraped.add(w.name());
            }
          }
        }
      }
    }
    assertThat(scraped).containsExactlyInAnyOrder("gan-gateway", "gan-generator", "gan-discriminator",
        "gan-train-generator");
  }

  @Test
  void hpaMetricIsWhatThePrometheusAdapterRulesMakeOfTheReplicasMeters() throws IOException {
    // no kubectl needed: the base file and the adapter rules as written
    Map<String, Object> hpa = loadAll(Files.readString(k8sDir().resolve("base/generator.yaml"))).stream()
        .filter(o -> "HorizontalPodAutoscaler".equals(o.get("kind"))).findFirst().orElseThrow();
    String metric = list(hpa, "spec", "metrics").stream().map(KustomizeManifestsIT::asMap)
        .filter(m -> "Pods".equals(m.get("type"))).map(m -> (String) map(m, "pods", "metric").get("name"))
        .findFirst().orElseThrow();

    Map<String, Object> configMap = loadAll(Files.readString(
        k8sDir().resolve("monitoring/prometheus-adapter-rules.yaml"))).get(0);
    assertThat(configMap.get("kind")).isEqualTo("ConfigMap");
    Map<String, Object> config = loadAll((String) map(configMap, "data").get("config.yaml")).get(0);
    List<Map<String, Object>> rules = list(config, "rules").stream().map(KustomizeManifestsIT::asMap).toList();
    Map<String, Object> rule = rules.stream().filter(r -> metric.equals(map(r, "name").get("as"))).findFirst()
        .orElse(null);
    assertThat(rule).as("a prometheus-adapter rule exposing %s", metric).isNotNull();
    assertThat((String) rule.get("seriesQuery")).startsWith("gan_serving_requests_total{");
    assertThat((String) rule.get("metricsQuery")).contains("rate(<<.Series>>");
    assertThat(map(rule, "resources", "overrides")).containsKeys("namespace", "pod");
    assertThat(rules).extracting(r -> map(r, "name").get("as")).contains("gan_serving_queue_images");

    // the series the rules read are what a serving replica exports
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ServingMetrics(registry, () -> 0);
    Set<String> exported = registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    for (Map<String, Object> r : rules) {
      String series = ((String) r.get("seriesQuery")).split("\\{", 2)[0];
      assertThat(exported).as("series %s exported by ServingMetrics", series).contains(series);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // images and the gpu/cpu flavors

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "tls"})
  void everyWorkloadRunsItsServicesImage(String overlay) {
    Map<String, String> images = Map.of("gan-generator", "gan-cluster/generator-service",
        "gan-train-generator", "gan-cluster/generator-service", "gan-discriminator", "gan-cluster/discriminator-service",
        "gan-trainer", "gan-cluster/trainer-service", "gan-gateway", "gan-cluster/gateway");
    for (Workload w : workloads(overlay)) {
      String image = (String) w.container().get("image");
      String tag = overlay.equals("gpu") && GPU_WORKLOADS.contains(w.name()) ? "0.1.0-cuda" : "0.1.0";
      assertThat(image).as("%s image", w.name()).isEqualTo(images.get(w.name()) + ":" + tag);
      String flavor = overlay.equals("gpu") ? "gpu" : "cpu"; // tls is the cpu flavor with TLS
      assertThat(labels(w.doc())).as("%s labels", w.name()).containsEntry("gan-cluster/flavor", flavor)
          .containsEntry("app.kubernetes.io/part-of", "gan-cluster");
      assertThat(w.podLabels()).as("%s pod labels", w.name()).containsEntry("gan-cluster/flavor", flavor);
      assertThat(namespace(w.doc())).isEqualTo(NAMESPACE);
    }
  }

  @Test
  void gpuOverlayPutsTheNetworksOnGpuNodesWithCudaImages() {
    for (Workload w : workloads("gpu")) {
      Map<String, Object> c = w.container();
      boolean gpu = GPU_WORKLOADS.contains(w.name());
      assertThat(map(c, "resources", "limits").get("nvidia.com/gpu")).as("%s gpu limit", w.name())
          .isEqualTo(gpu ? 1 : null);
      assertThat(map(c, "resources", "requests").get("nvidia.com/gpu")).as("%s gpu request", w.name())
          .isEqualTo(gpu ? 1 : null);
      if (gpu) {
        assertThat(list(w.podSpec(), "tolerations")).as("%s tolerations", w.name()).anySatisfy(t -> {
          assertThat(asMap(t).get("key")).isEqualTo("nvidia.com/gpu");
          assertThat(asMap(t).get("operator")).isEqualTo("Exists");
          assertThat(asMap(t).get("effect")).isEqualTo("NoSchedule");
        });
        assertThat(map(w.podSpec(), "nodeSelector")).as("%s nodeSelector", w.name())
            .containsEntry("nvidia.com/gpu.present", "true");
        assertThat((String) c.get("image")).endsWith(":0.1.0-cuda");
        assertThat(env(c)).containsEntry("GAN_ND4J_BACKEND", "cuda");
        // the patch must not have lost what the base says
        assertThat(map(c, "resources", "limits")).containsKeys("cpu", "memory");
        assertThat(env(c)).containsEntry("HOME", "/tmp");
      } else {
        assertThat(list(w.podSpec(), "tolerations")).as("%s tolerations", w.name()).isEmpty();
        assertThat(map(w.podSpec(), "nodeSelector")).as("%s nodeSelector", w.name()).isEmpty();
      }
    }
  }

  @Test
  void gpuPodsLandOnlyOnNodesWhoseGpuTheNd4jBuildRunsOn() {
    // every capability a GPU feature discovery label could carry: the affinity must select exactly those
    // the code accepts (CudaSupport, the same rule and targets the services check at start)
    CudaSupport build = CudaSupport.ND4J_M2_1;
    for (Workload w : workloads("gpu")) {
      List<Object> terms = list(w.podSpec(), "affinity", "nodeAffinity",
          "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
      if (!GPU_WORKLOADS.contains(w.name())) {
        assertThat(terms).as("%s needs no GPU node", w.name()).isEmpty();
        continue;
      }
      for (int major = 0; major <= 12; major++) {
        for (int minor = 0; minor <= 9; minor++) {
          Map<String, Object> node = Map.of(GPU_MAJOR_LABEL, "" + major, GPU_MINOR_LABEL, "" + minor);
          assertThat(nodeSelectorMatches(terms, node)).as("%s on a node with a GPU of compute capability %d.%d",
              w.name(), major, minor).isEqualTo(build.runs(new ComputeCapability(major, minor)));
        }
      }
      assertThat(nodeSelectorMatches(terms, Map.of("nvidia.com/gpu.present", "true")))
          .as("%s on a GPU node without feature discovery labels", w.name()).isFalse();
    }
  }

  @Test
  void cpuOverlayAsksForNoGpuAnywhere() {
    String text = renderText("cpu");
    assertThat(text).doesNotContain("nvidia.com/gpu").doesNotContain("0.1.0-cuda").doesNotContain("GAN_ND4J_BACKEND");
    assertThat(render("cpu")).isNotEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // network policy evaluation (the subset of the semantics these manifests use, evaluated strictly)

  private static final String MONITORING = "namespace:monitoring";
  private static final String EXTERNAL = "outside the cluster";

  /** Who may open a TCP connection to {@code target}'s pods on {@code port}: workload names, MONITORING, EXTERNAL. */
  private Set<String> sourcesAllowed(String overlay, String target, int port) {
    Workload t = workload(overlay, target);
    List<Map<String, Object>> applying = objects(overlay, "NetworkPolicy").stream()
        .filter(p -> namespace(p).equals(namespace(t.doc())))
        .filter(p -> labelSelectorMatches(map(p, "spec", "podSelector"), t.podLabels()))
        .filter(p -> {
          List<Object> types = list(p, "spec", "policyTypes");
          return types.isEmpty() || types.contains("Ingress");
        }).toList();
    assertThat(applying).as("NetworkPolicies isolating %s", target).isNotEmpty();
    List<Source> sources = new ArrayList<>();
    for (Workload w : workloads(overlay)) {
      sources.add(new Source(w.name(), Map.of("kubernetes.io/metadata.name", namespace(w.doc())), w.podLabels()));
    }
    sources.add(new Source(MONITORING, Map.of("kubernetes.io/metadata.name", "monitoring"),
        Map.of("app.kubernetes.io/name", "prometheus")));
    sources.add(new Source(EXTERNAL, null, null));
    Set<String> allowed = new TreeSet<>();
    for (Map<String, Object> policy : applying) {
      for (Object r : list(policy, "spec", "ingress")) {
        Map<String, Object> rule = asMap(r);
        if (!portsCover(list(rule, "ports"), t.container(), port)) {
          continue;
        }
        List<Object> from = list(rule, "from");
        for (Source s : sources) {
          if (from.isEmpty() || from.stream().anyMatch(peer -> peerMatches(asMap(peer), namespace(policy), s))) {
            allowed.add(s.name());
          }
        }
      }
    }
    return allowed;
  }

  private record Source(String name, Map<String, Object> namespaceLabels, Map<String, Object> podLabels) {}

  private static boolean peerMatches(Map<String, Object> peer, String policyNamespace, Source s) {
    if (peer.containsKey("ipBlock")) {
      return s.namespaceLabels() == null && "0.0.0.0/0".equals(map(peer, "ipBlock").get("cidr"));
    }
    if (s.namespaceLabels() == null) {
      return false; // pod and namespace selectors only reach pods in the cluster
    }
    boolean namespaceOk = peer.containsKey("namespaceSelector")
        ? labelSelectorMatches(map(peer, "namespaceSelector"), s.namespaceLabels())
        : policyNamespace.equals(s.namespaceLabels().get("kubernetes.io/metadata.name"));
    boolean podOk = !peer.containsKey("podSelector") || labelSelectorMatches(map(peer, "podSelector"), s.podLabels());
    return namespaceOk && podOk;
  }

  private static boolean portsCover(List<Object> ports, Map<String, Object> container, int port) {
    if (ports.isEmpty()) {
      return true;
    }
    for (Object o : ports) {
      Map<String, Object> p = asMap(o);
      if (!"TCP".equals(p.getOrDefault("protocol", "TCP"))) {
        continue;
      }
      Object number = p.get("port");
      if (number == null) {
        return true;
      }
      if (number instanceof Number n) {
        int end = p.containsKey("endPort") ? ((Number) p.get("endPort")).intValue() : n.intValue();
        if (port >= n.intValue() && port <= end) {
          return true;
        }
      } else if (Objects.equals(containerPorts(container).get(number.toString()), port)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // rendering and YAML helpers

  private record Workload(String kind, Map<String, Object> doc) {
    String name() {
      return KustomizeManifestsIT.name(doc);
    }

    Map<String, Object> podSpec() {
      return map(doc, "spec", "template", "spec");
    }

    Map<String, Object> podLabels() {
      return map(doc, "spec", "template", "metadata", "labels");
    }

    List<Map<String, Object>> containers() {
      return list(podSpec(), "containers").stream().map(KustomizeManifestsIT::asMap).toList();
    }

    List<Map<String, Object>> allContainers() {
      return Stream.concat(list(podSpec(), "initContainers").stream().map(KustomizeManifestsIT::asMap),
          containers().stream()).toList();
    }

    /** The one container each of these workloads runs. */
    Map<String, Object> container() {
      assertThat(containers()).as("%s containers", name()).hasSize(1);
      return containers().get(0);
    }
  }

  private List<Workload> workloads(String overlay) {
    return render(overlay).stream().filter(o -> WORKLOAD_KINDS.contains(o.get("kind")))
        .map(o -> new Workload((String) o.get("kind"), o)).toList();
  }

  private Workload workload(String overlay, String name) {
    return workloads(overlay).stream().filter(w -> w.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no workload " + name + " in overlay " + overlay));
  }

  private List<Map<String, Object>> objects(String overlay, String kind) {
    return render(overlay).stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
    return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(name(o))).findFirst().orElse(null);
  }

  private static List<Map<String, Object>> render(String overlay) {
    return RENDERED.computeIfAbsent(overlay, o -> loadAll(renderText(o)));
  }

  private static String renderText(String overlay) {
    String kubectl = kubectl();
    Assumptions.assumeTrue(kubectl != null, "kubectl not found: install kubectl to render k8s/ (skipping)");
    Path dir = k8sDir().resolve("overlays").resolve(overlay);
    assertThat(dir.resolve("kustomization.yaml")).as("overlay %s", overlay).exists();
    try {
      Path err = Files.createTempFile("kustomize", ".err");
      try {
        Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
            .redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          fail("kubectl kustomize %s did not finish in 2 minutes", dir);
        }
        if (p.exitValue() != 0) {
          fail("kubectl kustomize %s failed (%d): %s", dir, p.exitValue(), Files.readString(err));
        }
        return out;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run kubectl kustomize " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String kubectl() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** The k8s module's folder: Surefire runs in it; from the repository root it is k8s/. */
  private static Path k8sDir() {
    Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    if (Files.isDirectory(base.resolve("overlays"))) {
      return base;
    }
    assertThat(base.resolve("k8s/overlays")).as("k8s/overlays from " + base).isDirectory();
    return base.resolve("k8s");
  }

  private static List<Map<String, Object>> loadAll(String text) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    return StreamSupport.stream(yaml.loadAll(text).spliterator(), false).filter(Objects::nonNull)
        .map(KustomizeManifestsIT::asMap).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    assertThat(o).as("a YAML mapping").isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  /** The mapping at {@code path}, empty when any step is missing. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> root, String... path) {
    Object o = root;
    for (String key : path) {
      if (!(o instanceof Map<?, ?> m) || m.get(key) == null) {
        return Map.of();
      }
      o = m.get(key);
    }
    return (Map<String, Object>) o;
  }

  /** The sequence at {@code path}, empty when any step is missing. */
  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> root, String... path) {
    Map<String, Object> parent = map(root, java.util.Arrays.copyOf(path, path.length - 1));
    Object o = parent.get(path[path.length - 1]);
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  private static int intAt(Map<String, Object> root, String... path) {
    Object o = map(root, java.util.Arrays.copyOf(path, path.length - 1)).get(path[path.length - 1]);
    assertThat(o).as(String.join(".", path)).isInstanceOf(Number.class);
    return ((Number) o).intValue();
  }

  private static String name(Map<String, Object> o) {
    return (String) map(o, "metadata").get("name");
  }

  private static String namespace(Map<String, Object> o) {
    return (String) map(o, "metadata").get("namespace");
  }

  private static Map<String, Object> labels(Map<String, Object> o) {
    return map(o, "metadata", "labels");
  }

  private static List<String> args(Map<String, Object> container) {
    return list(container, "args").stream().map(String::valueOf).toList();
  }

  /** The value after {@code name} in {@code args}, or null. */
  private static String flag(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }

  private static Map<String, String> env(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object o : list(container, "env")) {
      env.put((String) asMap(o).get("name"), String.valueOf(asMap(o).get("value")));
    }
    return env;
  }

  /** containerPort by port name (unnamed ports under their number). */
  private static Map<String, Integer> containerPorts(Map<String, Object> container) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object o : list(container, "ports")) {
      Map<String, Object> p = asMap(o);
      int number = ((Number) p.get("containerPort")).intValue();
      ports.put(p.get("name") != null ? (String) p.get("name") : String.valueOf(number), number);
    }
    return ports;
  }

  /** A Service targetPort or probe port (number or name) as the container's port number, or null. */
  private static Integer resolvePort(Map<String, Object> container, Object port) {
    Map<String, Integer> ports = containerPorts(container);
    if (port instanceof Number n) {
      return ports.containsValue(n.intValue()) ? n.intValue() : null;
    }
    return ports.get(String.valueOf(port));
  }

  /** A Service selector: every pair present in the labels. */
  private static boolean matchLabels(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(e -> Objects.equals(String.valueOf(e.getValue()), String.valueOf(labels.get(e.getKey()))));
  }

  /** A metav1.LabelSelector (matchLabels and matchExpressions); the empty selector selects everything. */
  /** A required node affinity's terms (ORed; a term's expressions ANDed), as the scheduler reads node labels. */
  private static boolean nodeSelectorMatches(List<Object> terms, Map<String, Object> nodeLabels) {
    return terms.stream().map(KustomizeManifestsIT::asMap).anyMatch(term -> list(term, "matchExpressions").stream()
        .map(KustomizeManifestsIT::asMap).allMatch(e -> {
          Object value = nodeLabels.get(e.get("key"));
          List<String> values = list(e, "values").stream().map(String::valueOf).toList();
          return switch ((String) e.get("operator")) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> value != null && Long.parseLong((String) value) > Long.parseLong(values.get(0));
            case "Lt" -> value != null && Long.parseLong((String) value) < Long.parseLong(values.get(0));
            default -> throw new AssertionError("unknown node selector operator " + e.get("operator"));
          };
        }));
  }

  private static boolean labelSelectorMatches(Map<String, Object> selector, Map<String, Object> labels) {
    for (var e : map(selector, "matchLabels").entrySet()) {
      if (!labels.containsKey(e.getKey()) || !String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey())))) {
        return false;
      }
    }
    for (Object o : list(selector, "matchExpressions")) {
      Map<String, Object> expr = asMap(o);
      String key = (String) expr.get("key");
      Set<String> values = list(expr, "values").stream().map(String::valueOf)
          .collect(Collectors.toCollection(LinkedHashSet::new));
      boolean has = labels.containsKey(key);
      String value = has ? String.valueOf(labels.get(key)) : null;
      boolean ok = switch ((String) expr.get("operator")) {
        case "In" -> has && values.contains(value);
        case "NotIn" -> !has || !values.contains(value);
        case "Exists" -> has;
        case "DoesNotExist" -> !has;
        default -> throw new AssertionError("unknown selector operator " + expr.get("operator"));
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A Kubernetes quantity as a number: cpu in cores ("500m" = 0.5), memory in bytes ("2Gi"). */
  static double quantity(Object value) {
    assertThat(value).as("a quantity").isNotNull();
    String s = String.valueOf(value).trim();
    Map<String, Double> suffixes = new LinkedHashMap<>();
    suffixes.put("Ki", 1024.0);
    suffixes.put("Mi", Math.pow(1024, 2));
    suffixes.put("Gi", Math.pow(1024, 3));
    suffixes.put("Ti", Math.pow(1024, 4));
    suffixes.put("m", 1e-3);
    suffixes.put("k", 1e3);
    suffixes.put("M", 1e6);
    suffixes.put("G", 1e9);
    suffixes.put("T", 1e12);
    for (var e : suffixes.entrySet()) {
      if (s.endsWith(e.getKey())) {
        return Double.parseDouble(s.substring(0, s.length() - e.getKey().length())) * e.getValue();
      }
    }
    return Double.parseDouble(s);
  }
}
