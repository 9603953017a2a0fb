// The Astro example blog, which one post links to (the demo points it at 127.0.0.1).
export default {
  astroBlog: process.env.PEER_BLOG_URL ?? "https://blog.example.com/",
};
