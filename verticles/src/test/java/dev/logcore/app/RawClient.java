package dev.logcore.app;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A bare RESP2 client for tests: writes raw bytes, reads whole replies as their raw bytes. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    /** A command as a RESP array of bulk strings (arguments as ISO-8859-1). */
    public static byte[] cmd(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return cmd(b);
    }

    public static byte[] cmd(byte[]... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            o.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(a);
            o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return o.toByteArray();
    }

    public static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public RawClient send(byte[] data) throws IOException {
        out.write(data);
        out.flush();
        return this;
    }

    public RawClient send(String latin1) throws IOException {
        return send(latin1(latin1));
    }

    /** Reads one complete reply, returning its bytes exactly as received. */
    public byte[] readReply() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        readValue(o);
        return o.toByteArray();
    }

    /** Reads one reply as ISO-8859-1 text. */
    public String readText() throws IOException {
        return new String(readReply(), StandardCharsets.ISO_8859_1);
    }

    public List<byte[]> readReplies(int n) throws IOException {
        List<byte[]> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(readReply());
        }
        return l;
    }

    private void readValue(ByteArrayOutputStream o) throws IOException {
        int type = read();
        o.write(type);
        String line = readLine(o);
        switch (type) {
            case '+', '-', ':' -> {
            }
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len >= 0) {
                    o.writeBytes(in.readNBytes(len + 2));
                }
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                for (int i = 0; i < n; i++) {
                    readValue(o);
                }
            }
            default -> throw new IOException("not a RESP2 reply: type byte " + type + " then '" + line + "'");
        }
    }

    private String readLine(ByteArrayOutputStream o) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = read();
            o.write(b);
            if (b == '\r') {
                int lf = read();
                o.write(lf);
                return sb.toString();
            }
            sb.append((char) b);
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed by the server");
        }
        return b;
    }

    /** Whether the server closes the connection within {@code millis} (no more bytes arrive first). */
    public boolean closedWithin(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        try {
            int b = in.read();
            if (b >= 0) {
                throw new IOException("expected the connection to close, got byte " + b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return true;
            }
            throw e;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(10_000);
            }
        }
    }

    /** Bytes that can be read now without blocking. */
    public int available() throws IOException {
        return in.available();
    }

    /** Whether bytes arrive within {@code millis}. */
    public boolean hasDataWithin(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        try {
            in.mark(1);
            int b = in.read();
            if (b >= 0) {
                in.reset();
                return true;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
