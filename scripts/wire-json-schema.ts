import {
  AnyType,
  type BaseType,
  type CompletedConfig,
  type Context,
  createFormatter,
  createParser,
  createProgram,
  DEFAULT_CONFIG,
  LiteralType,
  type NodeParser,
  SchemaGenerator,
  StringType,
  type SubNodeParser,
  ts,
  UnionType,
} from 'ts-json-schema-generator';

export const WIRE_SCHEMA_FILE = 'server/http/wire.schema.json';

const root = new URL('..', import.meta.url).pathname;

/**
 * The registry derives these from the kinds' values (`(typeof KINDS)[number]['kind']`), which the generator reads
 * only as syntax; the compiler resolves them to literal unions. A kind's evidence is its own business: any JSON.
 */
const FROM_VALUES = new Set(['FindingKind', 'ActionName', 'ActionsOf']);
const EVIDENCE = 'EvidenceOf';

class RegistryTypeParser implements SubNodeParser {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly chain: NodeParser,
  ) {}

  supportsNode(node: ts.Node): boolean {
    if (!ts.isTypeReferenceNode(node)) return false;
    const name = node.typeName.getText();
    return FROM_VALUES.has(name) || name === EVIDENCE || name === 'Wire';
  }

  createType(node: ts.TypeReferenceNode, context: Context): BaseType {
    // A Date's schema is already ISO text (`format: date-time`), what JSON.stringify writes: Wire<T> is T here.
    // (The generator's own reading of Wire's conditional would take every string for a Date, losing enums.)
    if (node.typeName.getText() === 'Wire') return this.chain.createType(node.typeArguments![0]!, context);
    if (node.typeName.getText() === EVIDENCE) return new AnyType();
    // ActionsOf<K> under a mapped type is generic here: every action name, the union over all kinds, stands in.
    const alias = node.typeName.getText() === 'ActionsOf' ? 'ActionName' : node.typeName.getText();
    const declared = this.checker.getSymbolAtLocation(node.typeName);
    const source =
      declared && declared.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(declared) : declared;
    const file = source?.declarations?.[0]?.getSourceFile();
    const target = file?.statements.find((s) => ts.isTypeAliasDeclaration(s) && s.name.text === alias);
    if (!target || !ts.isTypeAliasDeclaration(target)) throw new Error(`no type ${alias} beside ${node.getText()}`);
    const type = this.checker.getTypeAtLocation(target.name);
    // Should a kind's types widen (e.g. its repairs typed as a plain record), the name is any text: say so, do not fail.
    if (type.flags & ts.TypeFlags.String) return new StringType();
    const members = type.isUnion() ? type.types : [type];
    return new UnionType(
      members.map((member) => {
        if (!member.isStringLiteral())
          throw new Error(`${alias} is ${this.checker.typeToString(type)}, not a union of string literals`);
        return new LiteralType(member.value);
      }),
    );
  }
}

/** JSON Schemas of every exported type in server/http/wire.ts (the generic helpers `Wire` and `Filter` aside). */
export function toWireJsonSchema(): Record<string, unknown> {
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: `${root}server/http/wire.ts`,
    tsconfig: `${root}tsconfig.json`,
    type: '*',
    expose: 'export',
    jsDoc: 'extended',
    topRef: true,
    additionalProperties: false,
    skipTypeCheck: true,
  };
  const program = createProgram(config);
  // The chain createParser hands over is a ChainNodeParser, which parses any node (typed as only `addNodeParser`).
  const parser = createParser(program, config, (chain) => {
    chain.addNodeParser(new RegistryTypeParser(program.getTypeChecker(), chain as unknown as NodeParser));
  });
  const generator = new SchemaGenerator(program, parser, createFormatter(config), config);
  return withNamedTypesOnly(generator.createSchema('*') as WireSchema);
}

type WireSchema = { definitions: Record<string, unknown> };

/**
 * The generator names each instance of a generic (`Wire<string870780834>`, `Filter<…>`) as a definition of its own;
 * those are inlined where used, so the definitions are exactly wire.ts's named types, as the route table names them.
 */
function withNamedTypesOnly(schema: WireSchema): WireSchema {
  const isNamed = (name: string) => /^\w+$/.test(name);
  const inline = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inline);
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      const name = decodeURIComponent(ref.replace('#/definitions/', ''));
      if (!isNamed(name)) {
        const { description: _, ...body } = schema.definitions[name] as Record<string, unknown>;
        return inline({ ...body, ...Object.fromEntries(Object.entries(value).filter(([k]) => k !== '$ref')) });
      }
    }
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, inline(child)]));
  };
  const named = Object.entries(schema.definitions).filter(([name]) => isNamed(name));
  return { ...schema, definitions: Object.fromEntries(named.map(([name, body]) => [name, inline(body)])) };
}
