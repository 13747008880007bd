// Checks the names a project was generated with (in batch mode the archetype plugin applies defaults and -D values
// without checking them). A bad name removes the generated directory and fails with one line saying what to pass.
def props = request.properties
def problems = []
if (!(props.serviceName ==~ /[A-Za-z0-9_]{1,100}/)) {
    problems << "serviceName '${props.serviceName}' must match [A-Za-z0-9_]{1,100} (JsOrc refuses other service names): pass -DserviceName=..."
}
if (!(props.className ==~ /[A-Z][A-Za-z0-9_]{0,200}/)) {
    problems << "className '${props.className}' must be a Java class name starting with A-Z: pass -DclassName=..."
}
if (!(props.configName ==~ /[A-Z0-9_]{1,100}/)) {
    problems << "configName '${props.configName}' must match [A-Z0-9_]{1,100}: pass -DconfigName=..."
}
if (!problems.isEmpty()) {
    new File(request.outputDirectory, request.artifactId).deleteDir()
    throw new IllegalArgumentException("jsorc-service-archetype: " + problems.join("; "))
}
