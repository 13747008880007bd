package io.jsorc.http.internal;

import java.nio.file.Files;
import javax.servlet.MultipartConfigElement;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/** A real Jetty on a free 127.0.0.1 port serving one {@link AdminServlet} at {@link AdminServlet#PATH}, for tests. */
final class LocalJetty {

    final Server server = new Server();
    /** {@code http://127.0.0.1:<port>/js_admin/}. */
    final String base;

    /** @param multipartLimit Jetty's own cap on a multipart request and its files (bytes) */
    LocalJetty(AdminServlet servlet, long multipartLimit) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(servlet);
        holder.getRegistration().setMultipartConfig(new MultipartConfigElement(
                Files.createTempDirectory("multipart").toString(), multipartLimit, multipartLimit, 1024 * 1024));
        context.addServlet(holder, AdminServlet.PATH + "/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + AdminServlet.PATH + "/";
    }

    void stop() throws Exception {
        server.stop();
    }
}
