// The demo's sample function: an order lookup that asks a (loopback) inventory service.
export const handler = async (event) => {
  const id = event.pathParameters?.id ?? 'unknown';
  const response = await fetch(`${process.env.INVENTORY_URL}/stock/${id}`);
  const stock = await response.json();
  return { statusCode: 200, body: JSON.stringify({ id, inStock: stock.count > 0 }) };
};
