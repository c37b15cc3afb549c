using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Output;

namespace EdgeApp.Deploy.Layout;

/// <summary><c>arc/configure-flux.sh</c>: installs Dapr and Flux GitOps on an Azure Arc-enabled cluster with the Azure CLI.</summary>
public static class ArcLayout
{
    public static IReadOnlyList<OutputFile> Build(GeneratorSettings settings)
    {
        var name = KubernetesName.Of(settings.Namespace);
        var path = FluxLayout.OverlayPath(settings)[..^settings.Overlay.Length];
        var script = $$"""
            #!/usr/bin/env bash
            {{Comment(YamlRenderer.Header)}}
            #
            # Configures GitOps (Flux v2) on an Azure Arc-enabled Kubernetes cluster so that it deploys
            # {{path}}<overlay> from the repository, and installs the Dapr cluster extension first.
            #
            # Prerequisites: az login; the cluster is connected (az connectedk8s connect); the CLI extensions
            #   az extension add --name k8s-configuration && az extension add --name k8s-extension
            # The Secrets the workloads reference must exist in the namespace: run ../secrets/create-secrets.sh
            # with kubectl pointed at the cluster (for example through az connectedk8s proxy).
            #
            # Usage: RESOURCE_GROUP=my-rg CLUSTER_NAME=my-edge-cluster ./configure-flux.sh
            set -euo pipefail

            : "${RESOURCE_GROUP:?set RESOURCE_GROUP to the cluster's resource group}"
            : "${CLUSTER_NAME:?set CLUSTER_NAME to the Arc-enabled cluster's name}"
            CLUSTER_TYPE="${CLUSTER_TYPE:-connectedClusters}"
            REPOSITORY_URL="${REPOSITORY_URL:-{{settings.RepositoryUrl}}}"
            BRANCH="${BRANCH:-{{settings.Branch}}}"
            OVERLAY="${OVERLAY:-{{settings.Overlay}}}"
            CONFIGURATION_NAME="${CONFIGURATION_NAME:-{{name}}}"
            INSTALL_DAPR="${INSTALL_DAPR:-true}"

            if [ "$INSTALL_DAPR" = "true" ]; then
              # The Dapr control plane (sidecar injector, operator, sentry) as an Arc cluster extension.
              az k8s-extension create \
                --resource-group "$RESOURCE_GROUP" --cluster-name "$CLUSTER_NAME" --cluster-type "$CLUSTER_TYPE" \
                --name dapr --extension-type Microsoft.Dapr --auto-upgrade-minor-version true
            fi

            # Installs the Flux extension if needed, then a GitRepository and a Kustomization for the overlay.
            az k8s-configuration flux create \
              --resource-group "$RESOURCE_GROUP" --cluster-name "$CLUSTER_NAME" --cluster-type "$CLUSTER_TYPE" \
              --name "$CONFIGURATION_NAME" --namespace flux-system --scope cluster \
              --url "$REPOSITORY_URL" --branch "$BRANCH" \
              --kustomization name=app path={{path}}"$OVERLAY" prune=true

            az k8s-configuration flux show \
              --resource-group "$RESOURCE_GROUP" --cluster-name "$CLUSTER_NAME" --cluster-type "$CLUSTER_TYPE" \
              --name "$CONFIGURATION_NAME" --query complianceState --output tsv

            """;
        return [new OutputFile("arc/configure-flux.sh", script, Executable: true)];
    }

    public static string Comment(string header) => header.TrimEnd('\n');
}
