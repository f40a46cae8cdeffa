import type { Metadata, Viewport } from "next";
import "./globals.css";

// Every page, the not-found page too, renders per request: its scripts need that request's CSP nonce.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Parley",
  description: "Team chat",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#1a1d21" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
