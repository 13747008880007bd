#!/usr/bin/env bash
# Builds the released API (the commit recorded in baseline.properties) and installs it as
# io.jsorc:jsorc-api:<version> into the local Maven repository, so bnd-baseline-maven-plugin can compare every
# build with it. No public repository holds that release; the repository history does. A released version names
# one commit forever, so a jar installed before (with its stamp naming that commit) is reused.
#
# It fails the build, never skips, when it cannot: not a git clone (a source archive), the commit missing from a
# shallow clone that cannot fetch it (git fetch --unshallow is tried), or the build of the release failing.
#
# usage: build-baseline.sh <module dir> <target dir> offline=<true|false> <local repository> <mvn>
set -euo pipefail
module=$1 target=$2 offline=${3#offline=} repo=$4 mvn=${5:-mvn}
fail() { echo "jsorc baseline: $*" >&2; exit 1; }

props="${module}/src/baseline/baseline.properties"
commit=$(sed -n 's/^commit *= *//p' "${props}")
version=$(sed -n 's/^version *= *//p' "${props}")
[ -n "${commit}" ] && [ -n "${version}" ] || fail "${props} must name a commit and a version"

dir="${repo}/io/jsorc/jsorc-api/${version}"
jar="${dir}/jsorc-api-${version}.jar"
stamp="${dir}/jsorc-baseline-commit"
if [ -f "${jar}" ] && [ "$(cat "${stamp}" 2>/dev/null)" = "${commit}" ]; then
    exit 0 # built before from the same commit
fi

root=$(git -C "${module}" rev-parse --show-toplevel 2>/dev/null) \
    || fail "${module} is not in a git clone: the released API is built from the repository history"
if ! git -C "${root}" cat-file -e "${commit}^{commit}" 2>/dev/null; then
    if [ "$(git -C "${root}" rev-parse --is-shallow-repository)" = "true" ]; then
        git -C "${root}" fetch -q --unshallow </dev/null 2>/dev/null || true
    fi
    git -C "${root}" cat-file -e "${commit}^{commit}" 2>/dev/null \
        || fail "commit ${commit} (the released API ${version}) is not in this clone; fetch the full history (git fetch --unshallow)"
fi

src="${target}/baseline-src"
rm -rf "${src}"
mkdir -p "${src}"
git -C "${root}" archive "${commit}" pom.xml bundles/api | tar -x -C "${src}"
# the release's version, in the root pom (the parent) and the module's parent reference
snapshot=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "${src}/pom.xml" | head -1)
[ -n "${snapshot}" ] || fail "no project version in the root pom of ${commit}"
sed -i "s|<version>${snapshot}</version>|<version>${version}</version>|" "${src}/pom.xml" "${src}/bundles/api/pom.xml"

mvn_args=(-B -ntp -q -Dmaven.repo.local="${repo}" -DskipTests -Djsorc.baseline.skip=true)
[ "${offline}" = "true" ] && mvn_args+=(-o)
echo "jsorc baseline: building the released API ${version} from ${commit}"
"${mvn}" "${mvn_args[@]}" -f "${src}/bundles/api/pom.xml" package </dev/null \
    || fail "building the released API ${version} from ${commit} failed"
"${mvn}" "${mvn_args[@]}" -f "${src}/bundles/api/pom.xml" install:install-file \
    -Dfile="${src}/bundles/api/target/jsorc-api-${version}.jar" \
    -DgroupId=io.jsorc -DartifactId=jsorc-api -Dversion="${version}" -Dpackaging=jar -DgeneratePom=true </dev/null \
    || fail "could not install the released API into ${repo}"
echo "${commit}" > "${stamp}"
