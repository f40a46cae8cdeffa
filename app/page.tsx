export default function Home() {
  return <main>Parley</main>;
}
