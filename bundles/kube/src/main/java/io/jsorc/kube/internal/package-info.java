/** The Kubernetes part: KubeService, the manifest applier, apply_yaml / load_yaml. Internal. */
package io.jsorc.kube.internal;
