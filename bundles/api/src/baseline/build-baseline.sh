#!/usr/bin/env bash
# Builds the released API (the commit recorded in baseline.properties) as io.jsorc:jsorc-api:<version> into the
# file repository target/baseline-repo, which this module's pom declares, so bnd-baseline-maven-plugin can compare
# every build with it. No public repository holds that release; the repository history does.
#
# Fails (never skips) when it cannot: not a git clone, the commit missing (a shallow clone: git fetch --unshallow),
# or the build of the release failing.
#
# usage: build-baseline.sh <module dir> <target dir> <offline true|false> <local repository>
set -euo pipefail
module=$1 target=$2 offline=$3 repo=$4
fail() { echo "jsorc baseline: $*" >&2; exit 1; }

props="${module}/src/baseline/baseline.properties"
commit=$(sed -n 's/^commit *= *//p' "${props}")
version=$(sed -n 's/^version *= *//p' "${props}")
[ -n "${commit}" ] && [ -n "${version}" ] || fail "${props} must name a commit and a version"

out="${target}/baseline-repo"
jar="${out}/io/jsorc/jsorc-api/${version}/jsorc-api-${version}.jar"
stamp="${out}/.built-from"
if [ -f "${jar}" ] && [ "$(cat "${stamp}" 2>/dev/null)" = "${commit}" ]; then
    exit 0 # built before from the same commit
fi

root=$(git -C "${module}" rev-parse --show-toplevel 2>/dev/null) \
    || fail "${module} is not in a git clone: the baseline is built from the repository history"
git -C "${root}" cat-file -e "${commit}^{commit}" 2>/dev/null \
    || fail "commit ${commit} (the released API ${version}) is not in this clone; fetch the full history (git fetch --unshallow)"

src="${target}/baseline-src"
rm -rf "${src}" "${out}"
mkdir -p "${src}" "${out}"
git -C "${root}" archive "${commit}" pom.xml bundles/api | tar -x -C "${src}"
# the release's version, in the root pom (the parent) and the module's parent reference
snapshot=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "${src}/pom.xml" | head -1)
[ -n "${snapshot}" ] || fail "no project version in the root pom of ${commit}"
sed -i "s|<version>${snapshot}</version>|<version>${version}</version>|" "${src}/pom.xml" "${src}/bundles/api/pom.xml"

mvn_args=(-B -ntp -q -Dmaven.repo.local="${repo}" -DskipTests -Djsorc.baseline.skip=true)
[ "${offline}" = "true" ] && mvn_args+=(-o)
echo "jsorc baseline: building the released API ${version} from ${commit}"
mvn "${mvn_args[@]}" -f "${src}/bundles/api/pom.xml" package </dev/null \
    || fail "building the released API ${version} from ${commit} failed"
mvn "${mvn_args[@]}" -f "${src}/bundles/api/pom.xml" deploy:deploy-file -Dfile="${src}/bundles/api/target/jsorc-api-${version}.jar" \
    -DgroupId=io.jsorc -DartifactId=jsorc-api -Dversion="${version}" -Dpackaging=jar -DgeneratePom=true \
    -Durl="file://${out}" -DrepositoryId=jsorc-baseline </dev/null \
    || fail "could not put the released API into ${out}"
echo "${commit}" > "${stamp}"
