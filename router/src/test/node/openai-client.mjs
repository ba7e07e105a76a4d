// Calls the Graylight router with the real openai npm client: one normal and one streamed chat
// completion. Prints one JSON line per call for OpenAiClientTest to check.
// usage: node openai-client.mjs BASE_URL   (BASE_URL like http://127.0.0.1:8080/v1)
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.argv[2], apiKey: "sk-graylight-test", maxRetries: 0 });

const plain = await client.chat.completions
  .create({ model: "gpt-test", messages: [{ role: "user", content: "Say hello" }], max_tokens: 7 })
  .withResponse();
console.log(JSON.stringify({
  call: "plain",
  cohort: plain.response.headers.get("x-graylight-cohort"),
  requestId: plain.response.headers.get("x-graylight-request-id"),
  content: plain.data.choices[0].message.content,
  usage: plain.data.usage,
}));

const streamed = await client.chat.completions
  .create({
    model: "gpt-test",
    messages: [{ role: "user", content: "Stream hello" }],
    max_tokens: 9,
    stream: true,
    stream_options: { include_usage: true },
  })
  .withResponse();
let content = "";
let chunks = 0;
let usage = null;
for await (const chunk of streamed.data) {
  chunks++;
  if (chunk.choices.length > 0 && chunk.choices[0].delta.content) content += chunk.choices[0].delta.content;
  if (chunk.usage) usage = chunk.usage;
}
console.log(JSON.stringify({
  call: "streamed",
  cohort: streamed.response.headers.get("x-graylight-cohort"),
  requestId: streamed.response.headers.get("x-graylight-request-id"),
  content,
  chunks,
  usage,
}));
