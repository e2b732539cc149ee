import type { Config } from "tailwindcss";

/**
 * Carelane design tokens. Calm and clinical: a teal brand, cool neutral surfaces, and status
 * colours chosen so that text in the 700 shade on the 50 shade passes WCAG AA (4.5:1).
 * Loaded by app/tailwind.css through `@config`.
 */
export default {
  content: ["./app/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: {
          50: "#effaf8",
          100: "#d7f2ee",
          200: "#b0e4dc",
          300: "#7ccfc4",
          400: "#47b2a6",
          500: "#2b968b",
          600: "#1f7a72", // buttons: white text passes AA
          700: "#1c625c",
          800: "#1a4f4b",
          900: "#18423f",
        },
        surface: {
          DEFAULT: "#ffffff",
          muted: "#f5f7f9", // page background
          sunken: "#eef1f4", // table headers, wells
          border: "#d9dfe5",
        },
        ink: {
          DEFAULT: "#17202a", // body text
          muted: "#4a5663", // secondary text, AA on surface-muted
          subtle: "#6b7784", // hints; large text or icons only
        },
        danger: { 50: "#fdf1f1", 200: "#f5c2c2", 600: "#c42b2b", 700: "#a11f1f" },
        warn: { 50: "#fdf7e8", 200: "#f3dc9b", 600: "#a86b00", 700: "#8a5300" },
        ok: { 50: "#eef8f1", 200: "#b9e2c5", 600: "#237a43", 700: "#1b6135" },
      },
      fontFamily: {
        sans: ["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
      },
      boxShadow: {
        card: "0 1px 2px rgb(16 24 40 / 0.06), 0 1px 3px rgb(16 24 40 / 0.08)",
      },
    },
  },
} satisfies Config;
